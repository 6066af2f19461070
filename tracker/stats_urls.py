from django.urls import path

from tracker import stats_views

# The funnel picture (/stats/).
urlpatterns = [
    path("stats/", stats_views.stats, name="stats"),
]
