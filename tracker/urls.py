from django.urls import path

from tracker import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("board/", views.board, name="board"),
]
