"""URL patterns of one outreach area (merged by urls.py or public_urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
