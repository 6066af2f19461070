from django.urls import path

from tracker import board_views, calendar_views, due_views

urlpatterns = [
    path("board/", board_views.board, name="board"),
    path("board/due/", due_views.due, name="board_due"),
    path("calendar/<str:secret>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("board/searches/pause/", board_views.searches_pause, name="board_searches_pause"),
    path("board/searches/resume/", board_views.searches_resume, name="board_searches_resume"),
    path("applications/<int:application_id>/move/", board_views.move, name="application_move"),
    path("applications/<int:application_id>/snooze/", due_views.snooze, name="application_snooze"),
]
