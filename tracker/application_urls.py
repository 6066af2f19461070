from django.urls import path  # noqa: F401

# The application page and its parts (/applications/<id>/…).
urlpatterns = []
