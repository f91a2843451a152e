from django.urls import include, path

from . import views

urlpatterns = [
    path("ratings/", views.ratings_overview, name="ratings"),
    path("divisions/<str:code>/", views.division, name="division"),
    path("divisions/<str:code>/review/", views.accountability_review, name="accountability-review"),
    path("", include("reviews.ipr_urls")),
]
