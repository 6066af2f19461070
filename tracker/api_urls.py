from django.urls import path  # noqa: F401

# /api/v1/applications…
urlpatterns = []
