"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
outreach, events (netweave/outreach).

The walk's event is public, published, three days ahead, with places left, a question, a
session, and taking presenter proposals; the plain member is registered and has proposed a
talk. Public events are the "public events" row: everyone who can see the network reads and
registers (members-only events: observers and up, see netweave/outreach/events.py). Running
events (Capability.MANAGE_EVENTS) belongs to stewards and coordinators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

# URL parameters that name a row: another network's rows are not found through them.
OBJECT_PARAMS: set[str] = {
    "event_id",
    "question_id",
    "session_id",
    "proposal_id",
    "registration_id",
}

RUN = Row.SETTINGS  # running events: stewards' "partly", with onboarding and curation

PAGES: dict[str, Page] = {
    # public events: anyone who can see the network
    "outreach:events": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "outreach:event": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "outreach:event_register": Page(
        Row.PUBLIC,
        get=Who.NO_ONE,
        post=Who.EVERYONE,
        note="signed-in people register themselves; visitors give a name and an address",
    ),
    "outreach:event_unregister": Page(
        Row.PUBLIC,
        get=Who.NO_ONE,
        post=Who.EVERYONE,
        note="one's own registration; without one (or signed out) an error message",
    ),
    "outreach:event_checkin": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.EVERYONE),
    # members propose to present
    "outreach:event_propose": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.MEMBER_UP),
    # running events
    "outreach:event_new": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_edit": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_cancel": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_questions": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_question_delete": Page(RUN, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "outreach:event_sessions": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_session_edit": Page(RUN, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "outreach:event_session_delete": Page(RUN, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "outreach:event_proposals": Page(RUN, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "outreach:event_proposal_decide": Page(RUN, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "outreach:event_registrations": Page(RUN, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "outreach:event_registrations_csv": Page(RUN, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "outreach:event_registration_promote": Page(
        RUN,
        get=Who.NO_ONE,
        post=Who.STEWARD_UP,
        note="the walk's registration has a place: organisers get an error message",
    ),
    "outreach:event_registration_checkin": Page(RUN, get=Who.NO_ONE, post=Who.STEWARD_UP),
    # the registrant's own page: the emailed token is the key
    "outreach_public:registration": Page(
        Row.TOKEN,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="GET never changes anything; POST with `cancel` cancels",
    ),
    "outreach_public:registration_ics": Page(Row.TOKEN, get=Who.EVERYONE, post=Who.NO_ONE),
}

API: dict[str, ApiOp] = {
    "events_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "event_read": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "event_sessions_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "event_register": ApiOp(
        Row.PUBLIC,
        Who.EVERYONE,
        note="anonymous callers without name and email: 400; the registered member: 409",
    ),
    "registration_cancel": ApiOp(
        Row.OWN_EGO,
        Who.MEMBER_UP,
        note="the registrant (the walk's is the plain member) or an organiser",
    ),
    "proposals_create": ApiOp(Row.OWN_EGO, Who.MEMBER_UP, body={"title": "Walk talk"}),
    "events_create": ApiOp(
        RUN,
        Who.STEWARD_UP,
        body={
            "title": "Walk event two",
            "starts_at": "2030-01-01T09:00:00",
            "ends_at": "2030-01-01T10:00:00",
            "time_zone": "Europe/Paris",
        },
    ),
    "event_update": ApiOp(RUN, Who.STEWARD_UP, body={"title": "Walked event"}),
    "event_cancel": ApiOp(RUN, Who.STEWARD_UP),
    "event_registrations_list": ApiOp(RUN, Who.STEWARD_UP),
    "registration_check_in": ApiOp(RUN, Who.STEWARD_UP),
    "proposal_decide": ApiOp(RUN, Who.STEWARD_UP, body={"accept": False}),
}

FILLERS: dict[str, Any] = {
    "event_id": lambda w, role: w.extras["events_event"].pk,
    "question_id": lambda w, role: w.extras["events_question"].pk,
    "session_id": lambda w, role: w.extras["events_session"].pk,
    "proposal_id": lambda w, role: w.extras["events_proposal"].pk,
    "registration_id": lambda w, role: w.extras["events_registration"].pk,
    "registration_token": lambda w, role: w.extras["events_registration"].token,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    """A public event three days ahead in `network`, `person` registered and proposing."""
    from netweave.outreach import events
    from netweave.outreach.models import RegistrationQuestion

    starts = timezone.now() + timedelta(days=3)
    event = events.event_create(
        network=network,
        by=None,
        title=f"Walk event {network.slug}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/Paris",
        capacity=10,
        accepts_proposals=True,
    )
    question = events.question_save(
        event=event, label="Anything we should know?", kind=RegistrationQuestion.Kind.TEXT
    )
    session = events.session_save(
        event=event,
        title="Opening",
        starts_at=event.starts_at,
        ends_at=event.starts_at + timedelta(minutes=30),
        presenters=[other],
    )
    registration = events.register(event, name=person.name, email=person.email, person=person)
    proposal = events.proposal_create(event=event, person=person, title="My work")
    return {
        "events_event": event,
        "events_question": question,
        "events_session": session,
        "events_registration": registration,
        "events_proposal": proposal,
    }
