"""End-to-end tests: Debian's Chromium, driven by Playwright, against a live Django server, with mail
going through a real SMTP server on loopback. Fixtures: the project's root conftest.py."""
