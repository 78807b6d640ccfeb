"""Outreach API operations of one area (merged by api.py)."""

from ninja import Router

router = Router(tags=["outreach"])
