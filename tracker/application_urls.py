from django.urls import path

from tracker import analysis_views
from tracker import application_views as views

# The application page and its parts (/applications/<id>/…). The move itself
# (`application_move`) is the board's: tracker/board_urls.py.
urlpatterns = [
    path("applications/<int:application_id>/", views.application_detail, name="application_detail"),
    path("applications/<int:application_id>/part/<slug:part>/", views.application_part, name="application_part"),
    path("applications/<int:application_id>/rating/", views.application_rate, name="application_rate"),
    path("applications/<int:application_id>/follow-up/", views.application_follow_up, name="application_follow_up"),
    path("applications/<int:application_id>/letter/", views.application_letter, name="application_letter"),
    path("applications/<int:application_id>/letter.txt", views.application_letter_txt, name="application_letter_txt"),
    path("applications/<int:application_id>/notes/", views.application_note, name="application_note"),
    path("applications/<int:application_id>/contacts/", views.contact_add, name="application_contact_add"),
    path("applications/contacts/<int:contact_id>/", views.contact_edit, name="application_contact_edit"),
    path("applications/<int:application_id>/interviews/", views.interview_add, name="application_interview_add"),
    path("applications/interviews/<int:interview_id>/", views.interview_edit, name="application_interview_edit"),
    path("applications/<int:application_id>/analysis/", analysis_views.application_analysis,
         name="application_analysis"),
    path("applications/<int:application_id>/analyse/", analysis_views.application_analyse,
         name="application_analyse"),
    path("offers/<int:offer_id>/application/", analysis_views.offer_application, name="offer_application"),
]
