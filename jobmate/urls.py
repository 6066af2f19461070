from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jobmate import views
from profiles import views as profile_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/signup/", profile_views.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("profiles.urls")),
    path("", include("discovery.urls")),
    path("", include("tracker.urls")),
    path("", include("jobmate.tasks.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "JobMate administration"
admin.site.site_title = "JobMate admin"

handler404 = "jobmate.views.not_found"
handler500 = "jobmate.views.server_error"
