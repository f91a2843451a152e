from django.urls import path

from . import views

urlpatterns = [
    path("priorities/", views.priority_list, name="priorities"),
    path("priorities/yours/", views.your_priorities, name="your-priorities"),
    path("priorities/new/", views.priority_edit, name="priority-new"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/update/", views.priority_update, name="priority-update"),
    path("priorities/<int:pk>/milestones/new/", views.milestone_edit, name="milestone-new"),
    path("priorities/<int:pk>/milestones/<int:milestone_pk>/", views.milestone_edit, name="milestone-edit"),
    path("priorities/board-update/<str:quarter>/", views.board_update, name="board-update"),
    path("priorities/board-update/<str:quarter>.pdf", views.board_update_pdf, name="board-update-pdf"),
]
