"""The JSON API root (/api/v1/): authentication, errors, and each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="NetWeave API",
    version="1",
    urls_namespace="api-v1",
    description="Networks, organizations, people and memberships. Authenticate with a session "
    "cookie (browser) or `Authorization: Bearer <personal API token>` (scripts).",
)
