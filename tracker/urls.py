from django.urls import include, path

from tracker import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:offer_id>/", views.inbox, name="inbox_offer"),
    path("inbox/<int:offer_id>/approve/", views.approve, name="inbox_approve"),
    path("inbox/<int:offer_id>/reject/", views.reject, name="inbox_reject"),
    path("inbox/<int:offer_id>/rescue/", views.rescue, name="inbox_rescue"),
    path("inbox/bulk/", views.bulk, name="inbox_bulk"),
    path("inbox/undo/", views.undo_last, name="inbox_undo"),
    path("", include("tracker.board_urls")),
    path("", include("tracker.stats_urls")),
    path("", include("tracker.data_urls")),
    path("", include("tracker.application_urls")),
    path("", include("tracker.api_urls")),
]
