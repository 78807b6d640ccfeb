"""The feeds the network follows and the inbox of what they bring (included by urls.py, in the
"library" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
