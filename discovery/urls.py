from django.urls import path

from discovery import views

urlpatterns = [
    path("searches/", views.search_list, name="search_list"),
]
