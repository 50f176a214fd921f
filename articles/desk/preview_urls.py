"""Preview URLs, mounted at /preview/ (outside /admin/ so a signed link works without login)."""

from django.urls import path

from articles.desk import preview

app_name = "preview"

urlpatterns = [
    path("<int:pk>/", preview.staff_preview, name="staff"),
    path("link/<str:token>/", preview.signed_preview, name="signed"),
]
