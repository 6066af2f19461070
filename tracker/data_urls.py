from django.urls import path

from tracker import data_views

# The person's data: exports (linked from /stats/) and importing applications from a spreadsheet.
urlpatterns = [
    path("stats/export/applications.csv", data_views.export_applications_csv, name="export_applications_csv"),
    path("stats/export/jobmate.json", data_views.export_data_json, name="export_data_json"),
    path("applications/import/", data_views.applications_import, name="applications_import"),
]
