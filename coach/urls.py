from django.urls import path

from coach import views

urlpatterns = [
    path("coach/", views.usage, name="coach_usage"),
]
