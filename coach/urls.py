from django.urls import path

from coach import views

urlpatterns = [
    path("coach/", views.usage, name="coach_usage"),
    path("cv/", views.cv, name="cv"),
    path("cv/status/", views.cv_status, name="cv_status"),
    path("cv/file/", views.cv_file, name="cv_file"),
    path("cv/review/", views.cv_review, name="cv_review"),
    path("cv/remove/", views.cv_remove, name="cv_remove"),
]
