"""The test SMTP server (root conftest.py) receives what Django sends, as a real mail server would."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives


class SmtpServerTests:
    def test_mail_sent_by_django_arrives_over_smtp_with_its_parts(self, smtp_server):
        message = EmailMultiAlternatives(
            "Réunion du réseau", "Bonjour, see https://example.org/n/x/ — à bientôt.",
            to=["ana@example.org"], cc=["ben@example.org"],
        )  # fmt: skip
        message.attach_alternative("<p>Bonjour</p>", "text/html")
        message.send()

        received = smtp_server.wait_for(to="ana@example.org")
        assert received.subject == "Réunion du réseau"
        assert "à bientôt" in received.text
        assert received.html.strip() == "<p>Bonjour</p>"
        assert received.links() == ["https://example.org/n/x/"]
        assert smtp_server.messages_to("ben@example.org") == [received]
        assert mail.outbox == [], "the message went to the locmem outbox instead of SMTP"

    def test_waiting_for_a_message_that_never_comes_fails_the_test(self, smtp_server):
        with pytest.raises(pytest.fail.Exception, match=r"no message to 'nobody@example\.org'"):
            smtp_server.wait_for(to="nobody@example.org", timeout=0.2)
