from django.urls import path

from discovery import api, views

urlpatterns = [
    path("searches/", views.search_list, name="search_list"),
    path("search/", views.search, name="search"),
    path("search/<uuid:task_id>/retry/", views.search_retry, name="search_retry"),
    path("offers/add/", views.offer_add, name="offer_add"),
    path("api/v1/search", api.search, name="api_search"),
    path("api/v1/offers", api.offers, name="api_offers"),
]
