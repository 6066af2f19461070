from django.urls import path

from discovery import api, careers_views, views

urlpatterns = [
    path("searches/", views.search_list, name="search_list"),
    path("searches/new/", views.search_create, name="search_create"),
    path("searches/careers/", careers_views.careers_page, name="careers_page"),
    path("searches/careers/add/", careers_views.careers_add, name="careers_add"),
    path("searches/<int:config_id>/", views.search_detail, name="search_detail"),
    path("searches/<int:config_id>/progress/", views.search_progress, name="search_progress"),
    path("searches/<int:config_id>/run/", views.search_run, name="search_run"),
    path("searches/<int:config_id>/toggle/", views.search_toggle, name="search_toggle"),
    path("searches/<int:config_id>/duplicate/", views.search_duplicate, name="search_duplicate"),
    path("searches/<int:config_id>/delete/", views.search_delete, name="search_delete"),
    path("search/", views.search, name="search"),
    path("sources/", views.sources, name="sources"),
    path("search/<uuid:task_id>/retry/", views.search_retry, name="search_retry"),
    path("offers/add/", views.offer_add, name="offer_add"),
    path("api/v1/search", api.search, name="api_search"),
    path("api/v1/offers", api.offers, name="api_offers"),
]
