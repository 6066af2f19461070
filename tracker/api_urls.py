from django.urls import path

from tracker import api

# /api/v1/applications… (paths without a trailing slash; one is accepted too)
urlpatterns = [
    path("api/v1/applications", api.application_list, name="api_application_list"),
    path("api/v1/applications/", api.application_list),
    path("api/v1/applications/<int:application_id>/move", api.move, name="api_application_move"),
]
