from django.urls import path

from tracker import board_views

urlpatterns = [
    path("board/", board_views.board, name="board"),
]
