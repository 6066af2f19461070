from django.urls import path

from discovery import api, views

urlpatterns = [
    path("searches/", views.search_list, name="search_list"),
    path("search/", views.search, name="search"),
    path("search/<uuid:task_id>/retry/", views.search_retry, name="search_retry"),
    path("api/v1/search", api.search, name="api_search"),
]
