"""Write a believable member profile from the pools in `data.py`.

Pure Python and deterministic: the same `random.Random` state gives the same profile, so the demo
and the generator produce the same people on every machine."""

from __future__ import annotations

import itertools
import random
import unicodedata
from dataclasses import dataclass, field

from netweave.demo import data

_TOPIC_CUM_WEIGHTS = list(itertools.accumulate(t.weight for t in data.TOPICS))


@dataclass
class Profile:
    first_name: str
    last_name: str
    title: str
    bio: str
    expertise: list[str]
    interests: list[str]
    offers: str
    seeks: str
    languages: list[str]
    city: str
    country: str
    map_consent: str
    writing_language: str
    topics: list[data.Topic] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def fields(self) -> dict[str, object]:
        """The Person fields of this profile, as `person_update_profile` takes them."""
        return {
            "bio": self.bio,
            "expertise": self.expertise,
            "interests": self.interests,
            "offers": self.offers,
            "seeks": self.seeks,
            "languages": self.languages,
            "city": self.city,
            "country": self.country,
            "map_consent": self.map_consent,
        }


def ascii_slug(text: str) -> str:
    """'Aïssatou Ndèye' -> 'aissatou-ndeye': for email local parts."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in plain.lower()).split()
    return "-".join(words)


def pick_topics(rng: random.Random, count: int) -> list[data.Topic]:
    picked: list[data.Topic] = []
    while len(picked) < count:
        (topic,) = rng.choices(data.TOPICS, cum_weights=_TOPIC_CUM_WEIGHTS)
        if topic not in picked:
            picked.append(topic)
    return picked


def write_profile(
    rng: random.Random,
    *,
    country: str,
    organization: str,
    kind: str,
    title: str = "",
    named_share: float = 0.6,
) -> Profile:
    region = data.REGION_BY_COUNTRY.get(country, "anglo")
    language = data.writing_language(country)
    if language != "en" and rng.random() < 0.15:
        language = "en"  # some people write in the network's lingua franca
    first = rng.choice(data.FIRST_NAMES[region])
    last = rng.choice(data.LAST_NAMES[region])
    topics = pick_topics(rng, rng.randint(3, 5))
    tag_language = "en" if language != "en" and rng.random() < 0.3 else language
    n_expertise = rng.randint(2, 3)
    expertise = [t.tag(tag_language) for t in topics[:n_expertise]]
    interests = [t.tag(tag_language) for t in topics[n_expertise:]]
    city = rng.choice(data.CITIES.get(country, [""]))
    titles = data.TITLES.get(kind, data.TITLES["other"])[language]
    title = title or rng.choice(titles)
    slots = {
        "title": title,
        "org": organization,
        "city": city,
        "years": rng.randint(3, 25),
        "t1": topics[0].in_sentence(language),
        "t2": topics[1].in_sentence(language),
    }
    bio = rng.choice(data.BIOS[language]).format(**slots)
    offers = rng.choice(data.OFFERS[language]).format(**slots)
    seeks = rng.choice(data.SEEKS[language]).format(
        **{**slots, "t2": topics[-1].in_sentence(language)}
    )
    languages = list(data.SPOKEN_LANGUAGES[region])
    for extra, share in (("en", 0.5), ("fr", 0.12), ("es", 0.1)):
        if extra not in languages and rng.random() < share:
            languages.append(extra)
    map_consent = "named" if rng.random() < named_share else "anonymous"
    return Profile(
        first_name=first,
        last_name=last,
        title=title,
        bio=bio,
        expertise=expertise,
        interests=interests,
        offers=offers,
        seeks=seeks,
        languages=languages,
        city=city,
        country=country,
        map_consent=map_consent,
        writing_language=language,
        topics=topics,
    )
