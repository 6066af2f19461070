from django.urls import path

from profiles import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/about/<str:field>/", views.identity_field, name="profile_field"),
    path("profile/about/<str:field>/edit/", views.identity_field_edit, name="profile_field_edit"),
    path("profile/skills/add/", views.skills_add, name="skills_add"),
    path("profile/skills/remove/", views.skill_remove, name="skill_remove"),
    path("profile/sections/<str:kind>/", views.section, name="profile_section"),
    path("profile/sections/<str:kind>/add/", views.entry_add, name="entry_add"),
    path("profile/entries/<int:entry_id>/edit/", views.entry_edit, name="entry_edit"),
    path("profile/entries/<int:entry_id>/move/", views.entry_move, name="entry_move"),
    path("profile/entries/<int:entry_id>/remove/", views.entry_remove, name="entry_remove"),
    path("profile/time-zone/", views.time_zone, name="profile_time_zone"),
    path("profile/reminders/", views.reminders, name="profile_reminders"),
    path("profile/notifications/", views.notification_emails, name="profile_notifications"),
    path("profile/calendar/", views.calendar_link, name="calendar_link"),
    path("profile/calendar/revoke/", views.calendar_link_revoke, name="calendar_link_revoke"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("profile/invites/", views.invite_create, name="invite_create"),
    path("profile/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
]
