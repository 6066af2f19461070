from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from jobmate import views
from profiles import views as profile_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("accounts/signup/", profile_views.signup, name="signup"),
    path("accounts/invite/<str:token>/", profile_views.signup, name="signup_invite"),
    # Before django.contrib.auth's own: these are throttled (profiles/throttle.py).
    path("accounts/login/", profile_views.log_in, name="login"),
    path("accounts/password_reset/", profile_views.password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switcher (no language prefix in URLs: every address stays the same).
    path("i18n/setlang/", profile_views.set_language, name="set_language"),
    path("", include("profiles.urls")),
    path("", include("discovery.urls")),
    path("", include("coach.urls")),
    path("", include("tracker.urls")),
    path("", include("jobmate.tasks.urls")),
    path("", include("jobmate.notifications.urls")),
    path("admin/login/", profile_views.admin_log_in),
    path("admin/", admin.site.urls),
]

admin.site.site_header = _("JobMate administration")
admin.site.site_title = _("JobMate admin")

handler404 = "jobmate.views.not_found"
handler500 = "jobmate.views.server_error"
