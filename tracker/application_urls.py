from django.urls import path, register_converter


class DocumentFormat:
    """The formats a document downloads in: "pdf" or "docx"."""

    regex = "pdf|docx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(DocumentFormat, "format")

from tracker import analysis_views, document_views
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
    path("applications/<int:application_id>/documents/", document_views.documents, name="application_documents"),
    path("applications/<int:application_id>/documents/build/", document_views.documents_build,
         name="application_documents_build"),
    path("applications/<int:application_id>/documents/status/", document_views.documents_status,
         name="application_documents_status"),
    path("applications/<int:application_id>/documents/sent/", document_views.documents_sent,
         name="application_documents_sent"),
    path("applications/<int:application_id>/cv.<format:extension>", document_views.cv_file, name="application_cv_file"),
    path("applications/<int:application_id>/letter.<format:extension>", document_views.letter_file,
         name="application_letter_file"),
    path("applications/sent/<int:sent_id>.<format:extension>", document_views.sent_file, name="application_sent_file"),
    path("offers/<int:offer_id>/application/", analysis_views.offer_application, name="offer_application"),
]
