"""A coordinator invites someone; the invitation and the sign-up's verification code travel by real
SMTP; the invitee signs up, accepts, and is a member.

Opening the emailed link proves the invitee owns the invited address, so signing up from the link
needs no second verification (netweave.people.views.invitation_page); signing up any other way goes
through allauth's mandatory verification by a code sent by email."""

from __future__ import annotations

import re
from typing import Any

from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from netweave.lib.testing import make_cast
from netweave.networks.models import Network
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.mail import code_in, link_in

INVITEE = "ines.invitee@example.org"
PASSWORD = "a-long-Pass-phrase-42"


def _invite(coordinator: Page, network: Network, smtp_server: Any) -> str:
    """The coordinator sends an invitation from the back office; returns the link it carried."""
    coordinator.goto(f"/n/{network.slug}/manage/invitations/")
    assert_accessible(coordinator)
    send = coordinator.get_by_role("button", name="Send invitation", exact=True)
    invite_form = coordinator.locator("form").filter(has=send)
    invite_form.get_by_label("Email").fill(INVITEE)
    invite_form.get_by_label("Name").fill("Ines Invitee")
    invite_form.get_by_label("Personal message").fill("Join us for the trial-design working group.")
    send.click()
    expect(coordinator.get_by_text(f"Invitation sent to {INVITEE}")).to_be_visible()
    expect(coordinator.get_by_role("cell", name=INVITEE, exact=True)).to_be_visible()

    invitation = smtp_server.wait_for(to=INVITEE, subject_contains=network.name)
    assert "trial-design working group" in invitation.text
    return link_in(invitation, "/invitations/")


def _open_and_start_sign_up(invitee: Page, accept_url: str, network: Network) -> None:
    invitee.goto(accept_url)
    assert_accessible(invitee)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text(network.name)
    invitee.get_by_role("link", name=re.compile(r"create my account", re.IGNORECASE)).click()
    expect(invitee).to_have_url(re.compile(r"/accounts/signup/"))
    assert_accessible(invitee)


def _sign_up(invitee: Page, email: str) -> None:
    invitee.get_by_label(re.compile(r"^e-?mail", re.IGNORECASE)).fill(email)
    invitee.get_by_label(re.compile(r"^password:?$", re.IGNORECASE)).fill(PASSWORD)
    invitee.get_by_label(re.compile(r"password \(again\)", re.IGNORECASE)).fill(PASSWORD)
    invitee.get_by_role("button", name=re.compile(r"sign up", re.IGNORECASE)).click()


def _accept_and_find_in_directory(
    invitee: Page, coordinator: Page, accept_url: str, network: Network, name: str
) -> None:
    # Signed in, back at the invitation the sign-up started from.
    expect(invitee).to_have_url(re.compile(re.escape(accept_url.split("://", 1)[1]) + "$"))
    assert_accessible(invitee)
    invitee.get_by_role("button", name=re.compile(r"accept", re.IGNORECASE)).click()
    expect(invitee.get_by_text(f"Welcome to {network.name}")).to_be_visible()

    invitee.goto(f"/n/{network.slug}/members/")
    expect(invitee.get_by_role("link", name=name)).to_be_visible()
    coordinator.goto(f"/n/{network.slug}/members/?q={name.split()[0]}")
    expect(coordinator.get_by_role("link", name=name)).to_be_visible()


class InvitationTests:
    def test_an_invitee_signs_up_with_the_invited_address_accepts_and_is_in_the_directory(
        self, new_page, sign_in, smtp_server
    ):
        cast = make_cast()
        coordinator = new_page()
        sign_in(coordinator, cast.coordinator.user)
        accept_url = _invite(coordinator, cast.network, smtp_server)

        invitee = new_page()
        _open_and_start_sign_up(invitee, accept_url, cast.network)
        expect(invitee.get_by_label(re.compile(r"^e-?mail", re.IGNORECASE))).to_have_value(INVITEE)
        _sign_up(invitee, INVITEE)

        _accept_and_find_in_directory(
            invitee, coordinator, accept_url, cast.network, "Ines Invitee"
        )
        assert EmailAddress.objects.get(email=INVITEE).verified
        assert len(smtp_server.messages_to(INVITEE)) == 1, "only the invitation was needed"

    def test_an_invitee_who_signs_up_on_their_own_verifies_the_address_by_a_code_then_accepts(
        self, new_page, sign_in, smtp_server
    ):
        cast = make_cast()
        coordinator = new_page()
        sign_in(coordinator, cast.coordinator.user)
        accept_url = _invite(coordinator, cast.network, smtp_server)

        # A browser that never opened the link: nothing proves the address yet.
        invitee = new_page()
        invitee.goto("/accounts/signup/")
        assert_accessible(invitee)
        _sign_up(invitee, INVITEE)
        verification = smtp_server.wait_for(to=INVITEE, after=1)
        expect(invitee).to_have_url(re.compile(r"/accounts/confirm-email/"))
        assert_accessible(invitee)
        assert not EmailAddress.objects.get(email=INVITEE).verified
        invitee.get_by_label(re.compile(r"code", re.IGNORECASE)).fill(code_in(verification))
        invitee.get_by_role("button", name=re.compile(r"confirm", re.IGNORECASE)).click()
        expect(invitee.get_by_role("button", name="Sign out")).to_be_visible()
        assert EmailAddress.objects.get(email=INVITEE).verified

        invitee.goto(accept_url)
        _accept_and_find_in_directory(
            invitee, coordinator, accept_url, cast.network, "Ines Invitee"
        )
