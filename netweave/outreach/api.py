"""The outreach API: each area keeps its operations in its own router, merged here."""

from ninja import Router

from netweave.outreach import api_events, api_lists, api_newsletters

router = Router()
router.add_router("", api_lists.router)
router.add_router("", api_newsletters.router)
router.add_router("", api_events.router)
