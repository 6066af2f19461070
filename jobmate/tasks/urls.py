from django.urls import path

from jobmate.tasks import api, views

urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/cancel-all/", views.task_cancel_all, name="task_cancel_all"),
    path("tasks/indicator/", views.tasks_indicator, name="tasks_indicator"),
    path("tasks/<uuid:task_id>/", views.task_detail, name="task_detail"),
    path("tasks/<uuid:task_id>/row/", views.task_row, name="task_row"),
    path("tasks/<uuid:task_id>/cancel/", views.task_cancel, name="task_cancel"),
    path("tasks/<uuid:task_id>/retry/", views.task_retry, name="task_retry"),
    path("tasks/<uuid:task_id>/answer/", views.task_answer, name="task_answer"),
    # JSON API (paths without a trailing slash; one is accepted too)
    path("api/v1/tasks", api.task_list, name="api_task_list"),
    path("api/v1/tasks/", api.task_list),
    path("api/v1/tasks/cancel-all", api.task_cancel_all, name="api_task_cancel_all"),
    path("api/v1/tasks/<uuid:task_id>", api.task_detail, name="api_task_detail"),
    path("api/v1/tasks/<uuid:task_id>/cancel", api.task_cancel, name="api_task_cancel"),
    path("api/v1/tasks/<uuid:task_id>/retry", api.task_retry, name="api_task_retry"),
]
