"""Open and click counting: the delivery is named by a signed id, a click's target is signed
(see tracking.py)."""

from django.urls import path

from netweave.outreach import tracking

urlpatterns = [
    path("t/<str:delivery_token>/open.gif", tracking.open_pixel, name="open"),
    path("t/<str:delivery_token>/click/<str:link>/", tracking.click, name="click"),
]
