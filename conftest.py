"""Fixtures that need real parts outside the process: a live server, Chromium, an SMTP server.

- ``smtp_server``: an aiosmtpd server on 127.0.0.1 (a free port) that keeps every message it
  receives; while a test uses it, Django sends mail over SMTP to it instead of the locmem outbox.
- ``browser`` / ``page`` / ``new_page``: Debian's Chromium driven by Playwright's sync API
  (Playwright cannot download its own browser here, and must not try).
- ``sign_in``: puts a signed-in session for a user into a page's browser context.

With ``CI=true`` a missing part (Chromium, the built front-end) fails the test loudly instead of
skipping it: a green run must mean every suite ran. The app-level fixtures (the ``cast``) are in
netweave/conftest.py.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from netweave.lib.required_parts import missing_part

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("NETWEAVE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILT_FRONTEND = ROOT / "netweave" / "static" / "vendor" / "htmx.min.js"

# The live server's URLs use the same host as ALLOWED_HOSTS' first entry and the demo.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
# Playwright's sync API keeps an event loop in the test thread; config.settings.test sets this
# too, but only once Django's settings are loaded, which may be after Playwright starts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- mail ---------------------------------------------------------------------------------------


@dataclass
class ReceivedMessage:
    """One message as the SMTP server received it (envelope and parsed content)."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"] or "")

    @property
    def to(self) -> str:
        return str(self.message["To"] or "")

    def body(self, subtype: str = "plain") -> str:
        part = self.message.get_body(preferencelist=(subtype,))
        return "" if part is None else str(part.get_content())  # type: ignore[attr-defined]

    @property
    def text(self) -> str:
        return self.body("plain")

    @property
    def html(self) -> str:
        return self.body("html")

    def links(self) -> list[str]:
        return re.findall(r"https?://[^\s<>\"')]+", self.text + "\n" + self.html)


@dataclass
class Mailbox:
    """Collects what the aiosmtpd server receives; tests read it with ``wait_for``."""

    host: str
    port: int
    messages: list[ReceivedMessage] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    # aiosmtpd calls this on its own thread's event loop for each message.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        received = ReceivedMessage(
            mail_from=str(envelope.mail_from),
            rcpt_tos=[str(rcpt) for rcpt in envelope.rcpt_tos],
            message=parsed,  # type: ignore[arg-type]
        )
        with self._arrived:
            self.messages.append(received)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self._arrived:
            self.messages.clear()

    def messages_to(self, address: str) -> list[ReceivedMessage]:
        address = address.lower()
        with self._arrived:
            return [m for m in self.messages if address in (r.lower() for r in m.rcpt_tos)]

    def wait_for(
        self, *, to: str, subject_contains: str = "", timeout: float = 15.0, after: int = 0
    ) -> ReceivedMessage:
        """The first message to ``to`` (whose subject contains ``subject_contains``), skipping the
        first ``after`` such messages; waits for it to arrive, fails the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = [
                    m
                    for m in self.messages
                    if to.lower() in (r.lower() for r in m.rcpt_tos)
                    and subject_contains.lower() in m.subject.lower()
                ]
                if len(found) > after:
                    return found[after]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m.rcpt_tos, m.subject) for m in self.messages]
                    pytest.fail(
                        f"no message to {to!r} with {subject_contains!r} in its subject arrived "
                        f"within {timeout:.0f}s; the SMTP server received: {seen}"
                    )
                self._arrived.wait(remaining)


@pytest.fixture(scope="session")
def _smtp_controller() -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(host="127.0.0.1", port=free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller: Mailbox, settings: Any) -> Mailbox:
    """A real SMTP server on loopback; Django's mail goes to it over SMTP for this test."""
    _smtp_controller.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = _smtp_controller.host
    settings.EMAIL_PORT = _smtp_controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    return _smtp_controller


# --- browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        missing_part(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    if not BUILT_FRONTEND.exists():
        missing_part(
            f"the front-end is not built: {BUILT_FRONTEND} is missing (run `make frontend`)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        missing_part("Playwright for Python is not installed (pip install -e '.[dev]')")
        raise
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class PageProblems:
    """What went wrong in the browser behind the test's back: uncaught script errors and
    sub-resources (scripts, styles, images, fonts) that failed to load."""

    script_errors: list[str] = field(default_factory=list)
    failed_resources: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.script_errors or self.failed_resources)

    def watch(self, page: Page) -> None:
        subresources = {"script", "stylesheet", "image", "font"}

        def on_response(response: Any) -> None:
            if response.status >= 400 and response.request.resource_type in subresources:
                self.failed_resources.append(f"{response.status} {response.url}")

        def on_request_failed(request: Any) -> None:
            if request.resource_type in subresources:
                self.failed_resources.append(f"{request.failure} {request.url}")

        page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)


@pytest.fixture
def new_page(browser: Browser, live_server: Any, settings: Any) -> Iterator[Callable[..., Page]]:
    """``new_page(**context_options)``: a page in a browser context of its own (its own cookies:
    another person, a phone, JavaScript off...), at the live server. The test fails if a page it
    visited threw a script error or could not load one of its scripts, style sheets or images."""
    # Links in emails point at the live server, as they point at the real site in production.
    settings.NETWEAVE_BASE_URL = live_server.url
    contexts: list[BrowserContext] = []
    problems = PageProblems()

    def _new_page(**context_options: Any) -> Page:
        options: dict[str, Any] = {
            "base_url": live_server.url,
            "viewport": {"width": 1280, "height": 900},
            "locale": "en-GB",
            "timezone_id": "UTC",
        }
        options.update(context_options)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield _new_page
    for context in contexts:
        context.close()
    assert not problems, f"the browser reported problems on the pages visited: {problems}"


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A fresh page (desktop-sized, its own cookies) at the live server."""
    return new_page()


def session_cookie(user: Any, url: str) -> dict[str, str]:
    """A cookie that signs ``user`` in at ``url``, made the way Django's test client logs in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


@pytest.fixture
def sign_in(live_server: Any) -> Callable[[Page, Any], None]:
    """``sign_in(page, user)``: the page's browser context carries a signed-in session for
    ``user`` (the sign-in pages themselves are tested through their real forms in
    netweave/tests/browser/test_sign_in.py)."""

    def _sign_in(page: Page, user: Any) -> None:
        page.context.add_cookies([session_cookie(user, live_server.url)])  # type: ignore[list-item]

    return _sign_in
