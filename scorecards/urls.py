from django.urls import path

from . import views

urlpatterns = [
    path("scorecards/", views.my_scorecard, name="my-scorecard"),
    path("scorecards/team/", views.team_scorecards, name="team-scorecards"),
    path("scorecards/line-managers/", views.line_managers, name="line-managers"),
    path("scorecards/people/<str:username>/", views.person_scorecard, name="person-scorecard"),
    path("scorecards/people/<str:username>/objectives/add/", views.objective_add, name="objective-add"),
    path("scorecards/objectives/<int:pk>/", views.objective_edit, name="objective-edit"),
    path("scorecards/objectives/<int:pk>/progress/", views.objective_progress, name="objective-progress"),
]
