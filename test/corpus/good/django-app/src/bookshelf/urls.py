from django.urls import path

from bookshelf import views

urlpatterns = [
    path("", views.index),
    path("books/<slug:slug>", views.book_detail),
]
