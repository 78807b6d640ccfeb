"""Search of the resource center over 1,000,000 resources: indexing time and query latency.

    python bench/library/search.py [--size 1000000] [--queries 300] [--engines sqlite,postgres]

Targets (issue 5): a search answers in under 50 ms at the 95th percentile, on SQLite and on
PostgreSQL; indexing 1,000,000 resources takes under 5 minutes.

For each engine, on a fresh database: generate --size resources in one network (plus 1% as many in
a second network, so that tenancy filtering is exercised) with a realistic vocabulary — English,
French and Spanish (60/25/15 %), real domain words at the head of a Zipf–Mandelbrot distribution and
a long tail of rarer words, stop words, a little Markdown — with kinds, a 48-topic tree, phases,
years (recent ones more frequent), visibilities, statuses and authors (other_authors for all,
member and organization authors for some). Indexing = the bulk insert (raw SQL: what an import
does) + `resources_reindex` (search_text for every row, which the engine's index follows) +
ANALYZE. Then `resources_search` — hits with their relations, snippets, and every facet, as the
search page asks for them — runs --queries times over a fixed mix (rare, mid and common words, two
words, a prefix, with and without filters, no text, newest first, curation), after a warm-up, as a
member of the network. Results: bench/results/library-search-<engine>.json."""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common

TARGET_P95_MS = 50.0
TARGET_INDEX_SECONDS = 300.0  # for 1,000,000 resources; scaled linearly for other sizes

# The head of each language's vocabulary: real words of the field, most frequent first.
WORDS = {
    "en": """health community care women children malaria programme services data network
    vaccine study results support training prevention access treatment research policy
    countries evidence local district workers clinical hiv trial learning quality risk
    development report women's girls nutrition water maternal system systems testing
    implementation partners funding survey outcomes schools education youth mothers
    adolescents infection infections vaccines trials studies programmes tuberculosis surveillance
    review guidance toolkit framework monitoring evaluation adoption delivery mobile digital
    mental hospital hospitals nurses midwives screening diagnosis diagnostics drug drugs
    resistance antimicrobial mosquito mosquitoes nets insecticide sanitation hygiene climate
    agriculture farmers markets finance gender violence rights law governance leadership
    capacity coordination partnership financing insurance coverage primary referral supply
    chains medicines pharmacy laboratory genomics sequencing outbreak outbreaks epidemic
    pandemic preparedness response emergency refugees displacement migration urban rural
    households poverty income cash transfers microfinance savings employment skills literacy""",
    "fr": """santé communauté soins femmes enfants paludisme programme services données réseau
    vaccin étude résultats soutien formation prévention accès traitement recherche politique
    pays preuves local district agents clinique vih essai apprentissage qualité risque
    développement rapport filles nutrition eau maternelle système systèmes dépistage mise
    œuvre partenaires financement enquête écoles éducation jeunes mères adolescents infection
    infections vaccins essais études programmes tuberculose surveillance revue orientations
    outils cadre suivi évaluation adoption prestation mobile numérique mentale hôpital
    hôpitaux infirmières sages-femmes diagnostic médicaments résistance moustiques
    moustiquaires insecticide assainissement hygiène climat agriculture agriculteurs marchés
    genre violence droits gouvernance leadership capacités coordination partenariat
    assurance couverture primaire approvisionnement pharmacie laboratoire épidémie
    préparation riposte urgence réfugiés migration urbain rural ménages pauvreté revenus
    transferts emploi compétences alphabétisation""",
    "es": """salud comunidad atención mujeres niños malaria programa servicios datos red
    vacuna estudio resultados apoyo formación prevención acceso tratamiento investigación
    política países evidencia local distrito trabajadores clínico vih ensayo aprendizaje
    calidad riesgo desarrollo informe niñas nutrición agua materna sistema sistemas pruebas
    implementación socios financiamiento encuesta escuelas educación jóvenes madres
    adolescentes infección infecciones vacunas ensayos estudios programas tuberculosis
    vigilancia revisión guía herramientas marco monitoreo evaluación adopción entrega móvil
    digital mental hospital hospitales enfermeras parteras diagnóstico medicamentos
    resistencia mosquitos mosquiteros insecticida saneamiento higiene clima agricultura
    agricultores mercados género violencia derechos gobernanza liderazgo capacidad
    coordinación alianza seguro cobertura primaria suministro farmacia laboratorio brote
    epidemia preparación respuesta emergencia refugiados migración urbano rural hogares
    pobreza ingresos transferencias empleo habilidades alfabetización""",
}
_STOP = {
    "en": "the of and to in a for on with is that by from as are this at an",
    "fr": "le la les de des du et en un une pour dans sur par avec est que au aux",
    "es": "el la los las de del y en un una para por con es que al se",
}
STOP = {lang: words.split() for lang, words in _STOP.items()}
_SYLLABLES = "ka lo mi ra te su ve no pa di ko ber tal sen gor fin mar lis tu be ga zo ni ri"
SYLLABLES = _SYLLABLES.split()
TAIL = 12_000  # rarer words after the real ones, per language
KINDS = [
    ("article", 30), ("report", 20), ("tool", 10), ("guidance", 10), ("story", 8),
    ("dataset", 6), ("event", 6), ("funding", 4), ("presentation", 4), ("recording", 2),
]  # fmt: skip
PHASES = ["catalyzing", "launching", "expanding", "transforming"]
LANGUAGES = [("en", 60), ("fr", 25), ("es", 15)]


class Corpus:
    """Deterministic generator of resource texts."""

    def __init__(self, seed: int = 5) -> None:
        import numpy as np

        self.rng = np.random.default_rng(seed)
        self.random = random.Random(seed)
        self.vocab: dict[str, list[str]] = {}
        self.cumulative: dict[str, Any] = {}
        tail_rng = random.Random(seed + 1)
        for lang, text in WORDS.items():
            head = list(dict.fromkeys(text.split()))
            tail: list[str] = []
            seen = set(head)
            while len(tail) < TAIL:
                word = "".join(tail_rng.choice(SYLLABLES) for _ in range(tail_rng.randint(2, 4)))
                word += {"en": "", "fr": "e", "es": "o"}[lang]
                if word not in seen:
                    seen.add(word)
                    tail.append(word)
            words = head + tail
            ranks = np.arange(1, len(words) + 1)
            p = 1.0 / (ranks + 10.0)  # Zipf–Mandelbrot: the head is common, not ubiquitous
            self.vocab[lang] = words
            self.cumulative[lang] = np.cumsum(p / p.sum())

    def words(self, lang: str, n: int) -> list[str]:
        picks = self.cumulative[lang].searchsorted(self.rng.random(n), side="right")
        vocab = self.vocab[lang]
        return [vocab[min(i, len(vocab) - 1)] for i in picks]

    def text(self, lang: str, n: int) -> str:
        content = self.words(lang, n)
        stop = STOP[lang]
        out = []
        for i, word in enumerate(content):
            if i and self.random.random() < 0.45:
                out.append(self.random.choice(stop))
            out.append(word)
        return " ".join(out)


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def generate(
    owners: list[tuple[int, int]],
    topic_ids: dict[int, list[int]],
    corpus: Corpus,
    people: list[int],
    orgs: list[int],
    start: dt.datetime,
):  # type: ignore[no-untyped-def]
    """Yield (resource row, topic ids, people ids, organization ids) for each (id, network id)."""
    rng = corpus.random
    for rid, network_id in owners:
        lang = weighted(rng, LANGUAGES)
        title = corpus.text(lang, rng.randint(4, 9)).capitalize()
        summary = corpus.text(lang, rng.randint(25, 70))
        if rng.random() < 0.2:
            summary = f"**{summary[:40]}**{summary[40:]} [more](https://example.org/{rid})"
        year = min(2025, 1995 + int(30 * rng.random() ** 0.5))
        published = start + dt.timedelta(minutes=rid * 3 + rng.randint(0, 2))
        date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.8 else None
        phases = rng.sample(PHASES, rng.choice([0, 1, 1, 2]))
        status = "published" if rng.random() < 0.95 else rng.choice(["submitted", "in_review"])
        visibility = weighted(rng, [("public", 70), ("network", 25), ("coordinators", 5)])
        others = f"{rng.choice(['A.', 'M.', 'J.'])} {corpus.words(lang, 1)[0].capitalize()}"
        row = (rid, network_id, weighted(rng, KINDS), title, lang, summary, others, visibility,
               status, date, phases, published)  # fmt: skip
        topics = rng.sample(topic_ids[network_id], rng.choice([1, 1, 2, 3]))
        authors = rng.sample(people, 1) if rng.random() < 0.1 else []
        organizations = rng.sample(orgs, 1) if rng.random() < 0.2 else []
        yield row, topics, authors, organizations


COLUMNS = ("id", "network_id", "kind", "title", "language", "summary", "other_authors",
           "visibility", "status", "publication_date", "phases", "published_at", "url",
           "file", "file_type", "link_status", "link_error", "search_text", "created_at",
           "updated_at")  # fmt: skip


def insert(engine: str, rows: list[tuple], topics: list[tuple], people: list[tuple],
           orgs: list[tuple]) -> None:  # fmt: skip
    """Bulk insert as an import does: raw SQL (COPY on PostgreSQL)."""
    import json

    from django.db import connection

    now = dt.datetime.now(dt.UTC)
    full = [
        (*row[:10], json.dumps(row[10]), row[11], "", "", "", "unchecked", "", "", now, now)
        for row in rows
    ]
    through = [
        ("library_resource_topics", ("resource_id", "topic_id"), topics),
        ("library_resource_author_people", ("resource_id", "person_id"), people),
        ("library_resource_author_organizations", ("resource_id", "organization_id"), orgs),
    ]
    with connection.cursor() as cursor:
        if engine == "postgres":
            raw = cursor.cursor
            with raw.copy(f"COPY library_resource ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for record in full:
                    copy.write_row(record)
            for table, cols, values in through:
                with raw.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                    for record in values:
                        copy.write_row(record)
        else:
            marks = ", ".join(["%s"] * len(COLUMNS))
            cursor.executemany(
                f"INSERT INTO library_resource ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
                full,
            )
            for table, cols, values in through:
                sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES (%s, %s)"  # noqa: S608
                cursor.executemany(sql, values)


def build(engine: str, size: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from netweave.library.models import Resource, Topic
    from netweave.library.search import resources_reindex
    from netweave.networks.models import Network
    from netweave.people.models import Organization, Person

    big = Network.objects.create(name="Big", slug="big")
    small = Network.objects.create(name="Small", slug="small")
    topic_ids: dict[int, list[int]] = {}
    for network in (big, small):
        ids = []
        for r in range(8):
            root = Topic.objects.create(network=network, name=f"Theme {r}", slug=f"theme-{r}")
            ids.append(root.pk)
            for c in range(5):
                child = Topic.objects.create(
                    network=network, parent=root, name=f"Subject {r}.{c}", slug=f"subject-{r}-{c}"
                )
                ids.append(child.pk)
        topic_ids[network.pk] = ids
    corpus = Corpus()
    people = Person.objects.bulk_create(
        Person(name=f"{corpus.words('en', 1)[0].capitalize()} Author{n}", email=f"a{n}@x.org")
        for n in range(2000)
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Institute of {corpus.words('fr', 1)[0]} {n}") for n in range(500)
    )
    person_ids, org_ids = [p.pk for p in people], [o.pk for o in orgs]
    start = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)

    generate_seconds = insert_seconds = 0.0
    next_id = 1
    chunk = 20_000
    # The small network's resources (1 in 101) come among the big one's, as they would in time.
    total = size + size // 100
    for first in range(0, total, chunk):
        n = min(chunk, total - first)
        owners = [
            (rid, small.pk if rid % 101 == 0 else big.pk) for rid in range(next_id, next_id + n)
        ]
        begin = time.perf_counter()
        rows, topics, authors, organizations = [], [], [], []
        for row, t, a, o in generate(owners, topic_ids, corpus, person_ids, org_ids, start):
            rows.append(row)
            topics += [(row[0], x) for x in t]
            authors += [(row[0], x) for x in a]
            organizations += [(row[0], x) for x in o]
        generate_seconds += time.perf_counter() - begin
        begin = time.perf_counter()
        with transaction.atomic():
            insert(engine, rows, topics, authors, organizations)
        insert_seconds += time.perf_counter() - begin
        next_id += n
    if engine == "postgres":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('library_resource', 'id'), %s)", [next_id]
            )
    total = Resource.objects.count()

    begin = time.perf_counter()
    last = [0.0]

    def progress(done: int, count: int) -> None:
        if time.perf_counter() - last[0] > 30:
            last[0] = time.perf_counter()
            print(f"  reindex {done:,}/{count:,}", file=sys.stderr, flush=True)

    reindexed = resources_reindex(progress=progress)
    reindex_seconds = time.perf_counter() - begin
    begin = time.perf_counter()
    common.analyze()
    analyze_seconds = time.perf_counter() - begin
    return {
        "resources": total,
        "reindexed": reindexed,
        "generate_seconds": round(generate_seconds, 1),
        "insert_seconds": round(insert_seconds, 1),
        "reindex_seconds": round(reindex_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "index_seconds": round(insert_seconds + reindex_seconds + analyze_seconds, 1),
        "network": big,
        "corpus": corpus,
    }


def query_mix(corpus: Corpus, network: Any, rng: random.Random) -> list[tuple[str, dict]]:
    """(category, SearchQuery fields) pairs: the mix a busy search page sees."""
    from netweave.library.models import Topic

    en, fr, es = corpus.vocab["en"], corpus.vocab["fr"], corpus.vocab["es"]
    head = len(dict.fromkeys(WORDS["en"].split()))
    roots = list(Topic.objects.filter(network=network, parent=None).values_list("slug", flat=True))
    leaves = list(
        Topic.objects.filter(network=network).exclude(parent=None).values_list("slug", flat=True)
    )
    mix: list[tuple[str, dict]] = []
    for _ in range(6):
        mix += [
            ("rare word", {"text": rng.choice(en[head + 2000 :])}),
            ("rare word", {"text": rng.choice(fr[head + 2000 :])}),
            ("mid word", {"text": rng.choice(en[60:head] + es[60:head])}),
            ("mid word", {"text": rng.choice(en[head : head + 300])}),
            ("common word", {"text": rng.choice(en[:12])}),
            ("common word", {"text": rng.choice(fr[:12] + es[:12])}),
            ("two words", {"text": f"{rng.choice(en[:40])} {rng.choice(en[40:head])}"}),
            ("two words", {"text": f"{rng.choice(en[:12])} {rng.choice(en[:12])}"}),
            ("prefix", {"text": rng.choice(en[20:head])[:4]}),
            ("plural/stem", {"text": rng.choice(["vaccines", "trials", "vaccins", "vacunas"])}),
            ("common + filter", {"text": rng.choice(en[:12]), "years": [rng.randint(2000, 2024)]}),
            ("common + filter", {"text": rng.choice(en[:12]), "topics": [rng.choice(leaves)]}),
            (
                "mid + filters",
                {"text": rng.choice(en[12:head]), "kinds": ["report", "tool"], "languages": ["en"]},
            ),
            ("no text", {}),
            ("no text + filter", {"topics": [rng.choice(roots)]}),
            ("no text + filter", {"kinds": [weighted(rng, KINDS)], "years": [2023]}),
            ("newest", {"text": rng.choice(en[:40]), "sort": "newest"}),
        ]
    return mix


def child(engine: str, database_url: str, data_dir: str, size: int, queries: int) -> dict:
    common.setup_django(database_url, data_dir)
    from netweave.library.models import Resource
    from netweave.library.search import SearchQuery, resources_search
    from netweave.networks.permissions import Access, Level
    from netweave.people.models import Membership, Person

    built = build(engine, size)
    network, corpus = built.pop("network"), built.pop("corpus")
    member = Person.objects.create(name="Bench Member", email="bench@x.org")
    Membership.objects.create(network=network, person=member, role="member", status="active")
    coordinator = Person.objects.create(name="Bench Coordinator", email="coord@x.org")
    Membership.objects.create(
        network=network, person=coordinator, role="coordinator", status="active"
    )

    member_access = Access(
        network=network,
        level=Level.MEMBER,
        person=member,
        membership=Membership.objects.get(network=network, person=member),
        is_authenticated=True,
    )
    curator_access = Access(
        network=network,
        level=Level.COORDINATOR,
        person=coordinator,
        membership=Membership.objects.get(network=network, person=coordinator),
        is_authenticated=True,
    )

    rng = random.Random(7)
    mix = query_mix(corpus, network, rng)
    mix.append(("curation", {"text": rng.choice(corpus.vocab["en"][:40])}))
    plan = [mix[i % len(mix)] for i in range(queries)]
    rng.shuffle(plan)

    def run(category: str, fields: dict) -> tuple[float, Any]:
        begin = time.perf_counter()
        if category == "curation":
            results = resources_search(
                access=curator_access,
                query=SearchQuery(**fields),
                statuses=[Resource.Status.SUBMITTED, Resource.Status.IN_REVIEW],
            )
        else:
            results = resources_search(access=member_access, query=SearchQuery(**fields))
        for hit in results.hits:  # what the page shows of each hit
            [t.name for t in hit.resource.topics.all()]
            [p.name for p in hit.resource.author_people.all()]
            [o.name for o in hit.resource.author_organizations.all()]
            str(hit.snippet)
        return time.perf_counter() - begin, results

    for category, fields in mix:  # warm-up: every query once
        run(category, fields)
    seconds: list[float] = []
    by_category: dict[str, list[float]] = {}
    samples: dict[str, dict] = {}
    for category, fields in plan:
        took, results = run(category, fields)
        seconds.append(took)
        by_category.setdefault(category, []).append(took)
        samples.setdefault(
            category,
            {
                "query": fields,
                "total": results.total,
                "approximate": results.approximate,
                "hits": len(results.hits),
            },
        )
    overall = common.summary_ms(seconds)
    target_index = TARGET_INDEX_SECONDS * size / 1_000_000
    return {
        "benchmark": "library-search",
        "engine": engine,
        "server": common.server_version(engine),
        "size": size,
        **built,
        "search": overall,
        "by_category": {k: common.summary_ms(v) for k, v in sorted(by_category.items())},
        "examples": samples,
        "target_p95_ms": TARGET_P95_MS,
        "target_index_seconds": target_index,
        "meets_target": overall["p95_ms"] < TARGET_P95_MS and built["index_seconds"] < target_index,
        "machine": common.machine(),
    }


def print_report(result: dict) -> None:
    print(
        f"\n== {result['engine']}: {result['resources']:,} resources\n"
        f"indexing: {result['index_seconds']} s (insert {result['insert_seconds']} s, "
        f"reindex {result['reindex_seconds']} s, analyze {result['analyze_seconds']} s; "
        f"target {result['target_index_seconds']:.0f} s)\n"
        f"search: p50 {result['search']['p50_ms']} ms, p95 {result['search']['p95_ms']} ms, "
        f"max {result['search']['max_ms']} ms over {result['search']['n']} queries "
        f"(target p95 < {result['target_p95_ms']:.0f} ms)"
    )
    for name, r in result["by_category"].items():
        example = result["examples"][name]
        about = "about " if example["approximate"] else ""
        print(
            f"  {name:18s} p50 {r['p50_ms']:7.2f} ms  p95 {r['p95_ms']:7.2f} ms  "
            f"(e.g. {example['query']}: {about}{example['total']:,} results)"
        )


def main() -> int:
    return common.bench_main(
        script=Path(__file__),
        name="library-search",
        description=__doc__.split("\n\n")[0],
        options=[("size", 1_000_000), ("queries", 400)],
        child=child,
        print_report=print_report,
    )


if __name__ == "__main__":
    sys.exit(main())
