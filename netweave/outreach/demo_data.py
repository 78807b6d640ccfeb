"""Word pools of the outreach demo (`outreach/demo.py`): mail settings, lists, the newsletter's
sections in English, French and Spanish, and the year of events.

Names of subscribers come from the core demo's pools (`netweave.demo.data.FIRST_NAMES` and
`LAST_NAMES`); every address is under an example.org domain and every IP address is in a range
reserved for documentation (RFC 5737, RFC 3849), so nothing here can reach a real person."""

from __future__ import annotations

from typing import NamedTuple

# --- mail settings and lists ----------------------------------------------------------------------

SETTINGS = {
    "lahp": {
        "from_name": "LAHP Secretariat",
        "from_email": "newsletter@lahp.demo.netweave.org",
        "reply_to": "secretariat@lahp.demo.netweave.org",
        "postal_address": "LAHP Secretariat, Chemin des Demo-Fleurs 12, 1202 Geneva, Switzerland",
    },
    "vdan": {
        "from_name": "VDAN Secretariat",
        "from_email": "news@vdan.demo.netweave.org",
        "reply_to": "",
        "postal_address": "VDAN Secretariat, PO Box 4100-00100, Nairobi, Kenya",
    },
}


class ListSpec(NamedTuple):
    slug: str
    name: str
    description: str
    visibility: str
    is_member_list: bool = False


NEWSLETTER_LIST = ListSpec(
    "newsletter",
    "Monthly newsletter",
    "News from the network once a month: new resources, upcoming events, funding "
    "opportunities and members' news.",
    "public",
)
EVENTS_LIST = ListSpec(
    "events",
    "Event announcements",
    "An email when we open registration for a webinar, a workshop or the annual conference.",
    "public",
)
MEMBERS_LIST = ListSpec(
    "members",
    "Members",
    "Messages for the network's members: calls, working groups, decisions. Every active member "
    "is on this list.",
    "members",
    True,
)

# Where subscribers' mail lives: invented providers, all under example.org.
EMAIL_DOMAINS = (
    ["example.org"] * 4
    + ["mail.example.org"] * 3
    + ["inbox.example.org"] * 2
    + ["correo.example.org", "courriel.example.org", "post.example.org", "health.example.org"]
)
# Documentation ranges: 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32.
IPV4_PREFIXES = ("192.0.2.", "198.51.100.", "203.0.113.")
IPV6_PREFIX = "2001:db8:"

IMPORT_NOTE = "Imported from the {year} conference sign-up sheet (consent box ticked on paper)."
VDAN_IMPORT_NOTE = "Imported from the {year} cold chain summit attendee list (opted in)."
UNSUBSCRIBE_METHODS = ("one-click", "one-click", "one-click", "preferences")

HARD_BOUNCE_DETAILS = (
    ("5.1.1", "550 5.1.1 <{email}>: Recipient address rejected: User unknown"),
    ("5.1.1", "550 5.1.1 The email account that you tried to reach does not exist"),
    ("5.2.1", "550 5.2.1 The email account that you tried to reach is disabled"),
    ("5.1.10", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found"),
)
SOFT_BOUNCE_DETAILS = (
    ("4.2.2", "452 4.2.2 The email account that you tried to reach is over quota"),
    ("4.4.7", "451 4.4.7 Message expired: delivery attempts exhausted for now"),
)
COMPLAINT_DETAIL = "Feedback loop report (abuse): the recipient marked the message as spam"
FAILED_ERRORS = (
    "SMTP 421 4.7.0 Too many connections, try again later (3 attempts)",
    "SMTP timeout after RCPT TO (3 attempts)",
)

# --- the newsletter ------------------------------------------------------------------------------

HEADINGS = {
    "library": {"en": "New in the library", "fr": "Nouveau dans la bibliothèque",
                "es": "Novedades en la biblioteca"},
    "events": {"en": "Upcoming events", "fr": "Événements à venir", "es": "Próximos eventos"},
    "funding": {"en": "Funding opportunities", "fr": "Possibilités de financement",
                "es": "Oportunidades de financiación"},
    "members": {"en": "Member news", "fr": "Nouvelles des membres",
                "es": "Noticias de los miembros"},
}  # fmt: skip

SUBJECTS = {
    "en": "{network_short} newsletter #{number}: {month}",
    "fr": "Lettre d'information {network_short} n° {number} : {month}",
    "es": "Boletín {network_short} n.º {number}: {month}",
}
PREHEADERS = {
    "en": "New in the library: {resources}. Events ahead: {events}. And news from members.",
    "fr": "Nouveautés dans la bibliothèque : {resources}. Événements à venir : {events}. Et des "
    "nouvelles des membres.",
    "es": "Novedades en la biblioteca: {resources}. Próximos eventos: {events}. Y noticias de los "
    "miembros.",
}
GREETINGS = {
    "en": [
        "Dear colleagues,\n\nHere is what happened in the network in {month}, and what is coming.",
        "Hello everyone,\n\n{month} was a busy month. A short round-up of what is new, and a few "
        "dates for your calendar.",
        "Dear members and friends of the network,\n\nThank you to everyone who shared their work "
        "this month. Here is our round-up for {month}.",
    ],
    "fr": [
        "Chères et chers collègues,\n\nVoici ce qui s'est passé dans le réseau en {month}, et ce "
        "qui nous attend.",
        "Bonjour à toutes et à tous,\n\n{month} a été un mois chargé. Voici l'essentiel, et "
        "quelques dates à noter.",
    ],
    "es": [
        "Estimadas y estimados colegas:\n\nEsto es lo que pasó en la red en {month} y lo que "
        "viene.",
        "Hola a todas y todos:\n\n{month} fue un mes intenso. Un breve resumen de las novedades y "
        "algunas fechas para su agenda.",
    ],
}
NO_NEW_RESOURCES = {
    "en": "Nothing new this month: [browse the library]({url}) or share your own work.",
    "fr": "Rien de nouveau ce mois-ci : [parcourez la bibliothèque]({url}) ou partagez vos "
    "travaux.",
    "es": "Nada nuevo este mes: [explore la biblioteca]({url}) o comparta su propio trabajo.",
}
MORE_RESOURCES = {
    "en": "…and [{count} more in the library]({url}).",
    "fr": "…et [{count} autres dans la bibliothèque]({url}).",
    "es": "…y [{count} más en la biblioteca]({url}).",
}
EVENTS_LINK = {
    "en": "All events and registration: [the events page]({url}).",
    "fr": "Tous les événements et les inscriptions : [la page des événements]({url}).",
    "es": "Todos los eventos e inscripciones: [la página de eventos]({url}).",
}
NO_EVENTS = {
    "en": "No event is scheduled yet for the coming weeks; watch this space.",
    "fr": "Aucun événement n'est encore prévu ces prochaines semaines.",
    "es": "Todavía no hay eventos programados para las próximas semanas.",
}
ONLINE = {"en": "online", "fr": "en ligne", "es": "en línea"}
SIGN_OFF = {
    "en": "With best wishes,\n\nThe LAHP Secretariat",
    "fr": "Bien cordialement,\n\nLe secrétariat du LAHP",
    "es": "Con un cordial saludo,\n\nLa Secretaría del LAHP",
}
VDAN_SIGN_OFF = {
    "en": "The VDAN Secretariat",
    "fr": "Le secrétariat du VDAN",
}

FUNDING_CALLS = [
    {
        "en": "**Implementation research grants** (up to US$150,000, 18 months) from the Maple "
        "Ridge Global Health Fund: pilots of long-acting PrEP outside clinics. Deadline: "
        "{deadline}.",
        "fr": "**Subventions de recherche opérationnelle** (jusqu'à 150 000 USD, 18 mois) du Maple "
        "Ridge Global Health Fund : projets pilotes de PrEP à action prolongée hors des cliniques. "
        "Date limite : {deadline}.",
        "es": "**Subvenciones de investigación de implementación** (hasta USD 150.000, 18 meses) "
        "del Maple Ridge Global Health Fund: pilotos de PrEP de acción prolongada fuera de las "
        "clínicas. Fecha límite: {deadline}.",
    },
    {
        "en": "**Community-led demand creation fund**: small grants (US$10,000–40,000) for "
        "community organizations working with adolescent girls and young women. Deadline: "
        "{deadline}.",
        "fr": "**Fonds pour la création de la demande menée par les communautés** : petites "
        "subventions (10 000 à 40 000 USD) pour les organisations communautaires qui travaillent "
        "avec les adolescentes et les jeunes femmes. Date limite : {deadline}.",
        "es": "**Fondo comunitario de generación de demanda**: pequeñas subvenciones (USD "
        "10.000–40.000) para organizaciones comunitarias que trabajan con adolescentes y mujeres "
        "jóvenes. Fecha límite: {deadline}.",
    },
    {
        "en": "**Travel bursaries for the annual conference**: twenty bursaries for members from "
        "low- and middle-income countries. Apply through the conference registration form by "
        "{deadline}.",
        "fr": "**Bourses de voyage pour la conférence annuelle** : vingt bourses pour des membres "
        "de pays à revenu faible ou intermédiaire. Candidature par le formulaire d'inscription "
        "avant le {deadline}.",
        "es": "**Becas de viaje para la conferencia anual**: veinte becas para miembros de países "
        "de ingresos bajos y medianos. Solicítelas en el formulario de inscripción antes del "
        "{deadline}.",
    },
    {
        "en": "**Regulatory science fellowships** (12 months, two places) for staff of national "
        "regulatory authorities. Deadline: {deadline}.",
        "fr": "**Bourses en science réglementaire** (12 mois, deux places) pour le personnel des "
        "autorités nationales de réglementation. Date limite : {deadline}.",
        "es": "**Becas en ciencia regulatoria** (12 meses, dos plazas) para personal de las "
        "autoridades reguladoras nacionales. Fecha límite: {deadline}.",
    },
    {
        "en": "**Costing and market-shaping studies**: a call for proposals of up to US$80,000 "
        "for studies of the delivery costs of injectable PrEP. Deadline: {deadline}.",
        "fr": "**Études de coûts et d'orientation du marché** : appel à propositions jusqu'à "
        "80 000 USD pour des études du coût de la PrEP injectable. Date limite : {deadline}.",
        "es": "**Estudios de costos y de configuración del mercado**: convocatoria de hasta USD "
        "80.000 para estudios de los costos de la PrEP inyectable. Fecha límite: {deadline}.",
    },
]

MEMBER_NEWS = [
    {
        "en": "{name} ({org}) presented first results from the pharmacy delivery pilot in {city}: "
        "nine in ten clients came back for their second injection.",
        "fr": "{name} ({org}) a présenté les premiers résultats du projet pilote en pharmacie à "
        "{city} : neuf clients sur dix sont revenus pour leur deuxième injection.",
        "es": "{name} ({org}) presentó los primeros resultados del piloto en farmacias de {city}: "
        "nueve de cada diez usuarios volvieron para su segunda inyección.",
    },
    {
        "en": "Welcome to {name} of {org}, who joined the network this month and would like to "
        "hear from anyone working on youth-friendly services.",
        "fr": "Bienvenue à {name} ({org}), qui a rejoint le réseau ce mois-ci et aimerait "
        "échanger avec celles et ceux qui travaillent sur les services adaptés aux jeunes.",
        "es": "Bienvenida a {name} ({org}), que se unió a la red este mes y quiere conocer a "
        "quienes trabajan en servicios amigables para jóvenes.",
    },
    {
        "en": "{org} is recruiting a programme officer in {city}; {name} can tell you more.",
        "fr": "{org} recrute un ou une chargée de programme à {city} ; {name} vous en dira plus.",
        "es": "{org} busca un oficial de programas en {city}; {name} le puede contar más.",
    },
    {
        "en": "{name} ({org}) co-authored the new guidance on same-day initiation; the working "
        "group thanks everyone who commented on the draft.",
        "fr": "{name} ({org}) a co-signé le nouveau guide sur l'initiation le jour même ; le "
        "groupe de travail remercie toutes les personnes qui ont commenté le projet.",
        "es": "{name} ({org}) es coautora de la nueva guía de inicio el mismo día; el grupo de "
        "trabajo agradece a quienes comentaron el borrador.",
    },
    {
        "en": "The community advisory board convened by {org} met for the first time in {city}. "
        "Contact {name} to join its next meeting.",
        "fr": "Le comité consultatif communautaire réuni par {org} s'est tenu pour la première "
        "fois à {city}. Contactez {name} pour participer à la prochaine réunion.",
        "es": "El consejo asesor comunitario convocado por {org} se reunió por primera vez en "
        "{city}. Escriba a {name} para participar en la próxima reunión.",
    },
]

# --- events --------------------------------------------------------------------------------------

ZONES = ("Europe/Zurich", "America/New_York", "Africa/Nairobi", "Asia/Kolkata", "UTC")
# Local start hour per zone, chosen so that most of the network can join.
LOCAL_HOUR = {
    "Europe/Zurich": 14, "America/New_York": 9, "Africa/Nairobi": 15, "Asia/Kolkata": 17, "UTC": 13,
}  # fmt: skip

WEBINARS = [
    "Long-acting PrEP in pharmacies: early lessons",
    "Same-day initiation without waiting for lab results",
    "What adolescent girls and young women tell us about injections",
    "Costing injectable PrEP: a practical walkthrough",
    "Regulatory reliance: getting approval in months, not years",
    "Demand creation that works: three community programmes",
    "Monitoring continuation: indicators and data systems",
    "Implants and rings: where the pipeline stands",
    "Preparing clinics for the first injections",
    "Pregnancy and breastfeeding: what the evidence says",
    "Supply planning for the first year of introduction",
    "Differentiated delivery: community pick-up points",
]
WEBINAR_DESCRIPTION = (
    "A one-hour webinar of the learning network: two short presentations, then questions and "
    "discussion. **Open to everyone**; the recording is shared in the library afterwards.\n\n"
    "Interpretation into French and Spanish is available."
)
CALLS = [
    "Community of practice call: delivery pilots",
    "Working group call: regulatory pathways",
    "Community of practice call: youth engagement",
    "Working group call: costing and procurement",
    "Community of practice call: data and monitoring",
    "Working group call: learning agenda check-in",
]
CALL_DESCRIPTION = (
    "A members' call to compare notes: each pilot gives a five-minute update, then we pick one "
    "question to work through together. Notes go to the working group's page."
)


class WorkshopSpec(NamedTuple):
    title: str
    venue: str
    time_zone: str
    capacity: int
    days_from_today: int  # negative: in the past


WORKSHOPS = [
    WorkshopSpec(
        "Workshop: designing youth-friendly injection services",
        "Kisumu Lakeside Hotel, Conference Room B, Kisumu, Kenya",
        "Africa/Nairobi",
        30,
        -220,
    ),
    WorkshopSpec(
        "Atelier : mettre en place la PrEP injectable en pharmacie",
        "Centre de formation Dakar Plateau, salle 2, Dakar, Sénégal",
        "Africa/Dakar",
        25,
        -95,
    ),
    WorkshopSpec(
        "Workshop: costing long-acting prevention for national budgets",
        "Deccan Institute of Implementation Research, Seminar Hall 1, Hyderabad, India",
        "Asia/Kolkata",
        24,
        38,
    ),
]
WORKSHOP_DESCRIPTION = (
    "A one-day, hands-on workshop in person. Places are limited; if the workshop is full, join "
    "the waiting list and we will tell you as soon as a place frees up.\n\n"
    "Lunch is provided. Bring a laptop."
)

CONFERENCE = {
    "title": "LAHP annual conference: from pilots to programmes",
    "venue": "Nairobi Lakeview Convention Centre, Nairobi, Kenya",
    "time_zone": "Africa/Nairobi",
    "description": (
        "Two days with the whole network: results from delivery pilots, the state of the "
        "pipeline, regulatory and financing updates, and time to meet.\n\n"
        "- **Day 1**: evidence from the field\n- **Day 2**: from pilots to national programmes\n\n"
        "Members may propose to present their work until six weeks before the conference."
    ),
    "days_from_today": 55,
    "capacity": 220,
}
# (day 0 or 1, start hour local, minutes, title, room)
CONFERENCE_SESSIONS = [
    (0, 9, 60, "Opening plenary: where long-acting prevention stands", "Main hall"),
    (0, 11, 90, "Pharmacy and community delivery: results from six pilots", "Main hall"),
    (0, 14, 90, "Young women lead: demand creation panel", "Room Baobab"),
    (1, 9, 90, "Regulatory reliance in practice", "Room Baobab"),
    (1, 11, 90, "Costing, financing and procurement", "Main hall"),
    (1, 14, 60, "Closing plenary: the network's next learning agenda", "Main hall"),
]
PROPOSALS = [
    ("Two years of pharmacy-based injectable PrEP in Kisumu", "accepted", 1),
    ("Peer navigators and continuation: what our data show", "accepted", 2),
    ("A costing tool for national PrEP programmes", "proposed", None),
    ("Our new brand strategy", "declined", None),
]
PROPOSAL_ABSTRACT = (
    "We would share what we learned, with our data and the tools we built, and leave time for "
    "questions from teams planning similar work."
)
CONFERENCE_QUESTIONS = [
    ("Which day or days will you attend?", "choice", ["Both days", "Day 1", "Day 2"], True),
    (
        "Which sessions interest you most?",
        "choices",
        ["Pharmacy and community delivery", "Demand creation", "Regulatory reliance", "Costing"],
        False,
    ),
    ("Do you need a travel bursary?", "yes_no", [], False),
    ("Dietary requirements or access needs", "text", [], False),
]

VDAN_EVENTS = [
    ("Cold chain working session", "call", -70, "Africa/Nairobi"),
    ("Webinar: forecasting demand for new vaccines", "webinar", -30, "Europe/Zurich"),
    ("Last-mile delivery: field visit debrief", "call", -10, "UTC"),
    ("Webinar: solar fridges at scale", "webinar", 24, "Europe/Zurich"),
]
