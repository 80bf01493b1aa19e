from django.urls import path

from . import views

urlpatterns = [
    path("sok/", views.search_page, name="search"),
    path("sok/forslag/", views.search_suggestions, name="search_suggestions"),
]
