from django.urls import path

from jobmate.tasks import views

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
]
