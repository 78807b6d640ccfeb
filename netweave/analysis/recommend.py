"""Recommended introductions: who each member should meet, with the reasons in plain language.

Candidates are never all pairs. For each block of members they are the members two steps away
(shared neighbours, sparse ``A @ D @ A``), the nearest profiles by TF-IDF (sparse dot products,
the best few per member), the members who can offer what one is looking for (and who look for
what one offers), and, for newcomers, the network's weavers. Each candidate gets one score, the
sum of its signals:

* shared neighbours: Adamic–Adar ``aa`` (``nx.adamic_adar_index``) as ``aa / (1 + aa)``, plus a
  tenth of resource allocation ``ra / (1 + ra)``;
* similar profiles: cosine of the TF-IDF vectors of expertise, interests and bio (``0.8 *``),
  or, with ``semantic=True``, of their sentence embeddings (:mod:`~netweave.analysis.semantic`,
  the optional extra ``netweave[semantic]``), above a floor and rescaled;
* "looking for" / "can offer": cosine of one's seeks with the other's offers, both ways;
* bonuses: different communities (Leiden, :mod:`~netweave.analysis.communities`) for a pair that
  has another reason; periphery to core (core numbers); newcomer to weaver; a second route for
  someone tied to the network through a single hub; same topic from a different organization,
  sector or country.

Existing ties (either way), declined pairs and opted-out members are left out. Load is spread:
members are served in turns, best first, and no one is recommended to more than
``max_per_target`` people, so the same hubs are not recommended to everyone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from netweave.analysis.exceptions import AnalysisError
from netweave.analysis.graph import Graph

__all__ = [
    "SIGNALS",
    "Recommendation",
    "evaluate_recommendations",
    "recommend",
    "shared_neighbour_scores",
]

#: Every reason code a recommendation's ``details`` can hold, and what its values are.
SIGNALS = {
    "weaver": "the source is new and the target connects several communities",
    "shared": "shared neighbours: ``count`` and up to two of them in ``people``",
    "topic": "both profiles name ``topic``",
    "they_offer": "the target offers ``phrase``, which the source looks for",
    "you_offer": "the source offers ``phrase``, which the target looks for",
    "differ": "same topic from different ``groups`` (organizations, sectors, countries)",
    "bridge": "the two are in different communities",
    "core": "the source is on the periphery and the target in the core",
    "core_pair": "both are in the core (closing a triangle there strengthens it)",
    "relief": "the source reaches the network only through ``hub``; a second way in",
    "similar": "similar profiles, with no shared phrase or word to name",
}

TEXT_FIELDS = ("expertise", "interests", "bio")
PHRASE_FIELDS = ("expertise", "interests")
GROUP_FIELDS = ("organization", "sector", "country")
PHRASE_SPLIT = re.compile(r"\s*[;,|\n]\s*")
WORD = re.compile(r"[a-z0-9][a-z0-9\-]+")
STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "that",
        "this",
        "are",
        "was",
        "were",
        "our",
        "their",
        "about",
        "into",
        "have",
        "has",
        "work",
        "works",
        "working",
        "also",
        "who",
        "what",
        "which",
        "when",
        "where",
        "how",
        "can",
        "will",
        "more",
        "most",
        "other",
        "such",
        "than",
        "them",
        "they",
    ]
)

W_TEXT = 0.8
W_SEEK = 1.0
W_RA = 0.1
B_BRIDGE = 0.15
B_CORE = 0.1
B_WEAVER = 0.3
B_HUB = 0.1
B_COMPLEMENT = 0.15
COMPLEMENT_MIN = 0.15
TEXT_NEIGHBOURS = 20
#: Embedding cosines at or below this say nothing: unrelated English profiles of one field reach
#: 0.2-0.5. Above it, a cosine counts as ``(cosine - floor) / (1 - floor)``, near TF-IDF's scale.
SEMANTIC_FLOOR = 0.3
BLOCK_BUDGET = 4_000_000
COMMON_FROM = 2_000
BLOCK_THREADS = 2
COMMON_SHARE = 0.01


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One suggested introduction: ``source`` should meet ``target``, and why."""

    source: Hashable
    target: Hashable
    score: float
    reasons: list[str] = field(default_factory=list)
    #: The same reasons as data, for a caller that words them itself (another language, another
    #: point of view): ``{"code": ..., ...}`` with the code's values (node ids, phrases, counts).
    details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def signals(self) -> list[str]:
        """The codes of the reasons, e.g. ``["shared", "bridge"]`` (see :data:`SIGNALS`)."""
        return [detail["code"] for detail in self.details]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "score": self.score,
            "reasons": list(self.reasons),
        }


def recommend(
    graph: Graph,
    *,
    top: int = 10,
    profiles: Mapping[Hashable, Mapping[str, Any]] | None = None,
    seed: int = 0,
    exclude: Iterable[tuple[Hashable, Hashable]] | None = None,
    opted_out: Collection[Hashable] | None = None,
    max_per_target: int | None = None,
    sources: Iterable[Hashable] | None = None,
    semantic: bool = False,
) -> dict[Hashable, list[Recommendation]]:
    """Recommend up to ``top`` introductions for every member (see the module's rules).

    Parameters
    ----------
    graph : Graph
        The network; a directed one is read on its skeleton (a tie either way is a tie).
    top : int
        At most this many recommendations per member.
    profiles : mapping, optional
        Node id to attributes (``expertise``, ``interests``, ``bio``, ``organization``,
        ``sector``, ``country``, ``offers``, ``seeks``); the graph's own node attributes are used
        when left out.
    seed : int
        Seed of the community detection; the same seed gives the same recommendations.
    exclude : iterable of pairs, optional
        Pairs never to recommend, either way (introductions declined before).
    opted_out : collection of ids, optional
        Members who neither receive nor appear in recommendations.
    max_per_target : int, optional
        How many members one person may be recommended to (default ``max(5, 2 * top)``).
    sources : iterable of ids, optional
        Only recommend for these members (everyone by default).
    semantic : bool
        Compare profiles (expertise, interests, bio) by sentence embeddings instead of TF-IDF, so
        that the same idea in other words counts; offers and seeks stay TF-IDF. Needs the
        optional extra (``pip install "netweave[semantic]"``, else
        :class:`~netweave.analysis.semantic.SemanticUnavailable`); nothing is downloaded.

    Returns
    -------
    dict
        Member id to its recommendations, best first; members with none are left out.

    Examples
    --------
    >>> from netweave.analysis import Graph, recommend
    >>> graph = Graph.from_edges([("ana", "ben"), ("ben", "cleo"), ("cleo", "dan")])
    >>> [r.target for r in recommend(graph, top=1)["ana"]]
    ['cleo']
    """
    if top < 1:
        raise AnalysisError("top must be at least 1")
    cap = max(5, 2 * top) if max_per_target is None else max_per_target
    if cap < 1:
        raise AnalysisError("max_per_target must be at least 1")
    ids = graph.nodes
    n = len(ids)
    if n < 2:
        return {}
    index = {node: at for at, node in enumerate(ids)}
    attrs = _profiles(graph, profiles)
    blocked = np.zeros(n, dtype=bool)
    for node in opted_out or ():
        if node in index:
            blocked[index[node]] = True
    wanted = np.ones(n, dtype=bool)
    if sources is not None:
        wanted[:] = False
        for node in sources:
            if node in index:
                wanted[index[node]] = True
    wanted &= ~blocked

    adjacency = graph.skeleton_csr().astype(np.float32)
    degree = np.asarray(graph.skeleton_degree_array(), dtype=np.float64)
    excluded = _excluded_keys(exclude, index, n)
    structure = _structure(graph, degree, seed)

    text = _TextModel(attrs, ids, semantic=semantic) if attrs else None
    per_row = max(3 * top, top + 10)
    block = BLOCK_BUDGET // max(1, int(np.square(degree).sum() / max(n, 1)) + 1)
    block = max(1, min(n, block, 5000))
    aa_weight, ra_weight = _neighbour_weights(degree)
    aa_right = sparse.diags(aa_weight.astype(np.float32)) @ adjacency
    ra_right = sparse.diags(ra_weight.astype(np.float32)) @ adjacency
    rows_wanted = np.flatnonzero(wanted)

    def one_block(start: int) -> dict[str, np.ndarray]:
        rows = rows_wanted[start : start + block]
        parts: dict[str, sparse.csr_matrix] = {}
        left = adjacency[rows]
        parts["aa"] = (left @ aa_right).tocsr()
        parts["ra"] = (left @ ra_right).tocsr()
        parts["cn"] = (left @ adjacency).tocsr()
        if text is not None:
            parts.update(text.block(rows, TEXT_NEIGHBOURS))
        weaver_part = structure.weaver_block(rows, top)
        if weaver_part is not None:
            parts["weaver"] = weaver_part
        return _score_block(rows, parts, n, structure, excluded, blocked, per_row)

    starts = range(0, rows_wanted.size, block)
    if len(starts) < 2:
        columns = [one_block(start) for start in starts]
    else:
        # SciPy's sparse products and NumPy's sorts release the GIL: two threads use two cores.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=BLOCK_THREADS) as pool:
            columns = list(pool.map(one_block, starts))
    if not columns:
        return {}
    merged = {key: np.concatenate([part[key] for part in columns]) for key in columns[0]}
    chosen = _spread(merged, top, cap)
    picked = {key: value[chosen] for key, value in merged.items()}
    return _explain(graph, picked, structure, text, attrs)


def _neighbour_weights(degree: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What a shared neighbour of each degree adds: 1/log(degree) (Adamic-Adar), 1/degree (RA)."""
    aa = np.zeros(degree.size)
    ra = np.zeros(degree.size)
    aa[degree > 1] = 1.0 / np.log(degree[degree > 1])
    ra[degree > 0] = 1.0 / degree[degree > 0]
    return aa, ra


def shared_neighbour_scores(
    graph: Graph, pairs: Iterable[tuple[Hashable, Hashable]]
) -> list[tuple[float, float]]:
    """Adamic-Adar and resource allocation of each pair, as the recommender computes them.

    The same values as ``nx.adamic_adar_index`` and ``nx.resource_allocation_index`` (on the
    skeleton of a directed network).

    Examples
    --------
    >>> from netweave.analysis import Graph
    >>> from netweave.analysis.recommend import shared_neighbour_scores
    >>> graph = Graph.from_edges([("a", "b"), ("b", "c"), ("a", "d"), ("d", "c"), ("d", "e")])
    >>> [(round(aa, 3), round(ra, 3)) for aa, ra in shared_neighbour_scores(graph, [("a", "c")])]
    [(2.353, 0.833)]
    """
    adjacency = graph.skeleton_csr().astype(np.float64)
    aa_weight, ra_weight = _neighbour_weights(
        np.asarray(graph.skeleton_degree_array(), dtype=np.float64)
    )
    found: list[tuple[float, float]] = []
    for a, b in pairs:
        left = adjacency[graph.index(a)].multiply(adjacency[graph.index(b)])
        columns = left.tocoo().col
        found.append((float(aa_weight[columns].sum()), float(ra_weight[columns].sum())))
    return found


# --- structure ------------------------------------------------------------------------------------


@dataclass
class _Structure:
    communities: np.ndarray
    core: np.ndarray
    periphery: np.ndarray
    newcomer: np.ndarray
    weavers: np.ndarray
    main_hub: np.ndarray
    tie_keys: np.ndarray
    n: int

    def weaver_block(self, rows: np.ndarray, top: int) -> sparse.csr_matrix | None:
        fresh = np.flatnonzero(self.newcomer[rows])
        if fresh.size == 0 or self.weavers.size == 0:
            return None
        chosen = self.weavers[: max(2 * top, 10)]
        r = np.repeat(fresh, chosen.size)
        c = np.tile(chosen, fresh.size)
        return sparse.csr_matrix(
            (np.ones(r.size, dtype=np.float32), (r, c)), shape=(rows.size, self.n)
        )


def _structure(graph: Graph, degree: np.ndarray, seed: int) -> _Structure:
    from netweave.analysis.centrality import coreness_array
    from netweave.analysis.communities import community_array
    from netweave.analysis.fragility import other_communities_array
    from netweave.analysis.roles import hub_array

    n = degree.size
    communities, _ = community_array(graph, seed=seed)
    coreness = coreness_array(graph)
    top_core = int(coreness.max()) if n else 0
    core = (coreness >= max(2, math.ceil(0.75 * top_core))) if top_core >= 2 else np.zeros(n, bool)
    periphery = (degree > 0) & (coreness <= max(1, top_core // 3)) & ~core
    newcomer = degree <= 1
    lo, hi = graph.skeleton_arrays()
    # Weavers: members whose ties reach the most other communities (at least two), then degree.
    reach = other_communities_array(graph, communities)
    order = np.lexsort((np.arange(n), -degree, -reach))
    weavers = order[reach[order] >= 2]
    # A member with at most two ties, one of them to a hub, reaches the network through that hub.
    hub = hub_array(graph)
    main_hub = np.full(n, -1, dtype=np.int64)
    if lo.size:
        for a, b in ((lo, hi), (hi, lo)):
            through = (degree[a] <= 2) & hub[b] & ~hub[a]
            main_hub[a[through]] = b[through]
    tie_keys = np.sort(np.concatenate([lo * n + hi, hi * n + lo]))
    return _Structure(communities, core, periphery, newcomer, weavers, main_hub, tie_keys, n)


def _excluded_keys(
    exclude: Iterable[tuple[Hashable, Hashable]] | None, index: Mapping[Hashable, int], n: int
) -> np.ndarray:
    keys: list[int] = []
    for pair in exclude or ():
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise AnalysisError(
                f"an excluded pair must be (source, target), not {pair!r}"
            ) from None
        if a in index and b in index:
            keys += [index[a] * n + index[b], index[b] * n + index[a]]
    return np.unique(np.asarray(keys, dtype=np.int64))


def _member(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    if sorted_keys.size == 0:
        return np.zeros(keys.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    found: np.ndarray = sorted_keys[at] == keys
    return found


# --- scoring --------------------------------------------------------------------------------------


def _score_block(
    rows: np.ndarray,
    parts: Mapping[str, sparse.csr_matrix],
    n: int,
    structure: _Structure,
    excluded: np.ndarray,
    blocked: np.ndarray,
    per_row: int,
) -> dict[str, np.ndarray]:
    names = list(parts)
    coo = [parts[name].tocoo() for name in names]
    keys_all = np.concatenate([m.row.astype(np.int64) * n + m.col for m in coo])
    keys, inverse = np.unique(keys_all, return_inverse=True)
    values = {}
    offset = 0
    for name, m in zip(names, coo, strict=True):
        values[name] = np.bincount(
            inverse[offset : offset + m.nnz], weights=m.data, minlength=keys.size
        )
        offset += m.nnz
    local, target = keys // n, keys % n
    source = rows[local]
    pair = source * n + target
    keep = (source != target) & ~blocked[target]
    keep &= ~_member(pair, structure.tie_keys) & ~_member(pair, excluded)
    source, target = source[keep], target[keep]
    values = {name: column[keep] for name, column in values.items()}
    zero = np.zeros(source.size)
    aa, ra = values.get("aa", zero), values.get("ra", zero)
    cn = values.get("cn", zero)
    textsim = values.get("text", zero)
    seek = values.get("seek", zero)
    offer = values.get("offer", zero)
    weaver = values.get("weaver", zero) > 0
    group_differs = values.get("differs", zero)
    base = aa / (1 + aa) + W_RA * ra / (1 + ra) + W_TEXT * textsim + W_SEEK * (seek + offer)
    c = structure.communities
    bridge = (c[source] >= 0) & (c[target] >= 0) & (c[source] != c[target]) & (base > 0)
    core = structure.periphery[source] & structure.core[target]
    core_pair = structure.core[source] & structure.core[target]
    hub = structure.main_hub[source]
    relief = (hub >= 0) & (hub != target)
    relief &= ~_member(np.maximum(hub, 0) * n + target, structure.tie_keys)
    complement = (textsim >= COMPLEMENT_MIN) & (group_differs > 0)
    score = (
        base
        + B_BRIDGE * bridge
        + B_CORE * (core & (base > 0))
        + B_WEAVER * weaver
        + B_HUB * (relief & (base > 0))
        + B_COMPLEMENT * complement
    )
    good = score > 0
    order = _row_order(source[good], score[good], target[good])
    src = source[good][order]
    starts = np.searchsorted(src, src, side="left")
    rank = np.arange(src.size) - starts
    take = np.flatnonzero(good)[order][rank < per_row]
    return {
        "source": source[take],
        "target": target[take],
        "score": score[take],
        "aa": aa[take],
        "ra": ra[take],
        "cn": cn[take],
        "text": textsim[take],
        "seek": seek[take],
        "offer": offer[take],
        "bridge": bridge[take],
        "core": core[take] & (base[take] > 0),
        "core_pair": core_pair[take] & (base[take] > 0),
        "weaver": weaver[take],
        "relief": relief[take] & (base[take] > 0),
        "complement": complement[take],
    }


def _spread(merged: Mapping[str, np.ndarray], top: int, cap: int) -> np.ndarray:
    """Serve members in turns (everyone's best first), no target more than ``cap`` times."""
    source, target, score = merged["source"], merged["target"], merged["score"]
    if source.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = _row_order(source, score, target)
    src = source[order]
    rank = np.arange(src.size) - np.searchsorted(src, src, side="left")
    turns = order[_row_order(rank, score[order], target[order])]
    given: dict[int, int] = {}
    received: dict[int, int] = {}
    chosen: list[int] = []
    for at, s, t in zip(
        turns.tolist(), source[turns].tolist(), target[turns].tolist(), strict=True
    ):
        if given.get(s, 0) >= top or received.get(t, 0) >= cap:
            continue
        given[s] = given.get(s, 0) + 1
        received[t] = received.get(t, 0) + 1
        chosen.append(at)
    picked = np.asarray(chosen, dtype=np.int64)
    return picked[_row_order(source[picked], score[picked], target[picked])]


# --- content --------------------------------------------------------------------------------------


def _profiles(
    graph: Graph, profiles: Mapping[Hashable, Mapping[str, Any]] | None
) -> dict[Hashable, dict[str, str]]:
    fields = TEXT_FIELDS + GROUP_FIELDS + ("offers", "seeks")
    source = profiles if profiles is not None else {node: graph.attributes(node) for node in graph}
    found: dict[Hashable, dict[str, str]] = {}
    for node, values in source.items():
        kept = {key: str(values[key]).strip() for key in fields if values.get(key) is not None}
        kept = {key: value for key, value in kept.items() if value}
        if kept:
            found[node] = kept
    return found


def _phrases(text: str) -> list[str]:
    return [part.strip() for part in PHRASE_SPLIT.split(text) if part.strip()]


def _words(text: str) -> set[str]:
    return {word for word in WORD.findall(text.lower()) if word not in STOP}


class _TextModel:
    """TF-IDF (or sentence embeddings) of profiles (expertise, interests, bio) and TF-IDF of
    offers/seeks, rows by node position."""

    def __init__(
        self,
        attrs: Mapping[Hashable, Mapping[str, str]],
        ids: tuple[Hashable, ...],
        *,
        semantic: bool = False,
    ):
        self.attrs = attrs
        self.ids = ids
        self._topic_cache: dict[int, tuple[list[str], set[str], set[str]]] = {}
        self.profile: sparse.csr_matrix | None = None
        self.embeddings: np.ndarray | None = None
        if semantic:
            from netweave.analysis import semantic as sentence_embeddings

            # Sentences read better to the model than fields run together.
            texts = [
                ". ".join(filter(None, (attrs.get(node, {}).get(key, "") for key in TEXT_FIELDS)))
                for node in ids
            ]
            self.embeddings = sentence_embeddings.embed(texts)
        else:
            docs = [
                " ".join(attrs.get(node, {}).get(key, "") for key in TEXT_FIELDS) for node in ids
            ]
            self.profile = self._fit(docs)
        offers = [attrs.get(node, {}).get("offers", "") for node in ids]
        seeks = [attrs.get(node, {}).get("seeks", "") for node in ids]
        self.offers: sparse.csr_matrix | None = None
        self.seeks: sparse.csr_matrix | None = None
        if any(offers) and any(seeks):
            vectorizer = _vectorizer(len(offers))
            try:
                vectorizer.fit(offers + seeks)
            except ValueError:  # nothing but stop words
                pass
            else:
                self.offers = vectorizer.transform(offers).tocsr()
                self.seeks = vectorizer.transform(seeks).tocsr()
        groups: list[np.ndarray] = []
        for key in GROUP_FIELDS:
            values = [attrs.get(node, {}).get(key, "").strip().lower() for node in ids]
            codes = {value: at for at, value in enumerate(sorted(set(values)))}
            empty = codes.get("", -1)
            array = np.asarray([codes[value] for value in values], dtype=np.int64)
            array[array == empty] = -1
            groups.append(array)
        self.groups = groups

    @staticmethod
    def _fit(docs: list[str]) -> sparse.csr_matrix | None:
        if not any(doc.strip() for doc in docs):
            return None
        try:
            matrix: sparse.csr_matrix = _vectorizer(len(docs)).fit_transform(docs).tocsr()
        except ValueError:
            return None
        return matrix

    def block(self, rows: np.ndarray, keep: int) -> dict[str, sparse.csr_matrix]:
        parts: dict[str, sparse.csr_matrix] = {}
        similar: sparse.csr_matrix | None = None
        if self.embeddings is not None:
            from netweave.analysis.semantic import nearest

            similar = nearest(self.embeddings, rows, keep + 1, floor=SEMANTIC_FLOOR)
            similar.data = (similar.data - SEMANTIC_FLOOR) / (1 - SEMANTIC_FLOOR)
        elif self.profile is not None:
            similar = _top_per_row((self.profile[rows] @ self.profile.T).tocsr(), keep + 1)
        if similar is not None:
            parts["text"] = similar
            coo = similar.tocoo()
            differs = np.zeros(coo.nnz, dtype=np.float32)
            source = rows[coo.row]
            for group in self.groups:
                a, b = group[source], group[coo.col]
                differs += (a >= 0) & (b >= 0) & (a != b)
            parts["differs"] = sparse.csr_matrix((differs, (coo.row, coo.col)), shape=similar.shape)
        if self.offers is not None and self.seeks is not None:
            parts["seek"] = _top_per_row((self.seeks[rows] @ self.offers.T).tocsr(), keep)
            parts["offer"] = _top_per_row((self.offers[rows] @ self.seeks.T).tocsr(), keep)
        return parts

    def _topics(self, node: int) -> tuple[list[str], set[str], set[str]]:
        found = self._topic_cache.get(node)
        if found is None:
            values = self.attrs.get(self.ids[node], {})
            phrases = [p for key in PHRASE_FIELDS for p in _phrases(values.get(key, ""))]
            words = _words(" ".join(values.get(key, "") for key in TEXT_FIELDS))
            found = (phrases, {p.lower() for p in phrases}, words)
            self._topic_cache[node] = found
        return found

    def shared_topic(self, source: int, target: int) -> str | None:
        mine, _, my_words = self._topics(source)
        _, theirs, their_words = self._topics(target)
        for phrase in mine:
            if phrase.lower() in theirs:
                return phrase
        words = sorted(my_words & their_words)
        return " and ".join(words[:2]) if words else None

    def match(self, seeker: int, offerer: int) -> str | None:
        wants = self.attrs.get(self.ids[seeker], {}).get("seeks", "")
        has = self.attrs.get(self.ids[offerer], {}).get("offers", "")
        wanted = [phrase.lower() for phrase in _phrases(wants)]
        best, best_overlap = None, 0
        for phrase in _phrases(has):
            if phrase.lower() in wanted:
                return phrase
            overlap = max((len(_words(phrase) & _words(w)) for w in wanted), default=0)
            if overlap > best_overlap:
                best, best_overlap = phrase, overlap
        return best


def _vectorizer(documents: int) -> Any:
    """The TF-IDF of profiles and of offers/seeks: English words and two-word phrases."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        stop_words="english",
        ngram_range=(1, 2),
        sublinear_tf=True,
        dtype=np.float32,
        max_df=_max_df(documents),
    )


def _max_df(documents: int) -> float | int:
    """Terms in more profiles than this say little and would make every pair a candidate."""
    return 1.0 if documents < COMMON_FROM else max(COMMON_FROM // 20, int(COMMON_SHARE * documents))


def _top_per_row(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Keep the ``keep`` largest entries of each row (ties: the lower column first)."""
    counts = np.diff(matrix.indptr)
    if matrix.nnz == 0 or counts.max() <= keep:
        return matrix
    row = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), counts)
    order = _row_order(row, matrix.data, matrix.indices)
    rank = np.arange(order.size) - matrix.indptr[row[order]]
    chosen = order[rank < keep]
    return sparse.csr_matrix(
        (matrix.data[chosen], (row[chosen], matrix.indices[chosen])), shape=matrix.shape
    )


def _row_order(row: np.ndarray, value: np.ndarray, column: np.ndarray) -> np.ndarray:
    """Positions sorted by row, then value from the highest, then column: one argsort."""
    if value.size == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = float(value.min()), float(value.max())
    span = high - low if high > low else 1.0
    # Values to 0..2**20 (finer differences do not change a ranking anyone could see).
    level = np.rint((high - value) / span * (1 << 20)).astype(np.int64)
    key = (row.astype(np.int64) << 42) | (level << 21)
    if column.size and int(column.max()) < (1 << 21):  # the column breaks ties
        key |= column.astype(np.int64)
    order: np.ndarray = np.argsort(key, kind="stable")
    return order


# --- reasons --------------------------------------------------------------------------------------


def _explain(
    graph: Graph,
    picked: Mapping[str, np.ndarray],
    structure: _Structure,
    text: _TextModel | None,
    attrs: Mapping[Hashable, Mapping[str, str]],
) -> dict[Hashable, list[Recommendation]]:
    ids = graph.nodes
    labels = [graph.label(node) for node in ids]
    name_common = picked["source"].size <= 200_000
    neighbours: list[Any] = []
    if name_common:
        csr = graph.skeleton_csr()
        neighbours = [None] * len(ids)

        def around(node: int) -> set[int]:
            if neighbours[node] is None:
                neighbours[node] = set(
                    csr.indices[csr.indptr[node] : csr.indptr[node + 1]].tolist()
                )
            found: set[int] = neighbours[node]
            return found

    result: dict[Hashable, list[Recommendation]] = {}
    columns = {key: value.tolist() for key, value in picked.items()}
    group_names = ("organizations", "sectors", "countries")
    differ_text = [""] * len(columns["source"])
    bits_list = [0] * len(columns["source"])
    if text is not None:
        bits = np.zeros(picked["source"].size, dtype=np.int64)
        for at, group in enumerate(text.groups):
            a, b = group[picked["source"]], group[picked["target"]]
            bits |= ((a >= 0) & (b >= 0) & (a != b)).astype(np.int64) << at
        phrases = [
            "you come from different "
            + " and ".join(name for at, name in enumerate(group_names) if mask >> at & 1)
            if mask
            else ""
            for mask in range(8)
        ]
        bits_list = bits.tolist()
        differ_text = [phrases[mask] for mask in bits_list]
    for at in range(len(columns["source"])):
        s, t = columns["source"][at], columns["target"][at]
        reasons: list[str] = []
        details: list[dict[str, Any]] = []
        if columns["weaver"][at]:
            reasons.append(
                f"you are new here, and {labels[t]} connects several groups of the network"
            )
            details.append({"code": "weaver"})
        if columns["cn"][at] > 0:
            count = round(columns["cn"][at])
            if name_common:
                common = sorted(around(s) & around(t))
                names = [labels[node] for node in common[:2]]
                more = f" and {count - 2} other{'s' if count > 3 else ''}" if count > 2 else ""
                reasons.append(f"you both know {' and '.join(names)}{more}")
                details.append(
                    {"code": "shared", "count": count, "people": [ids[n] for n in common[:2]]}
                )
            else:
                reasons.append(f"you have {count} contact{'s' if count != 1 else ''} in common")
                details.append({"code": "shared", "count": count, "people": []})
        if text is not None and columns["text"][at] > 0:
            topic = text.shared_topic(s, t)
            if topic:
                reasons.append(f"you both work on {topic}")
                details.append({"code": "topic", "topic": topic})
            else:
                # Embeddings find the same idea in other words: there is no shared word to name.
                reasons.append("your profiles are similar")
                details.append({"code": "similar"})
        if text is not None and columns["seek"][at] > 0:
            phrase = text.match(s, t)
            if phrase:
                reasons.append(f"they can offer {phrase}, which you are looking for")
                details.append({"code": "they_offer", "phrase": phrase})
        if text is not None and columns["offer"][at] > 0:
            phrase = text.match(t, s)
            if phrase:
                reasons.append(f"you can offer {phrase}, which they are looking for")
                details.append({"code": "you_offer", "phrase": phrase})
        if columns["complement"][at] and differ_text[at]:
            reasons.append(differ_text[at])
            mask = int(bits_list[at])
            details.append(
                {
                    "code": "differ",
                    "groups": [name for i, name in enumerate(group_names) if mask >> i & 1],
                }
            )
        if columns["bridge"][at]:
            reasons.append("you are in different clusters of the network")
            details.append({"code": "bridge"})
        if columns["core"][at]:
            reasons.append("they are at the core of the network and can bring you closer in")
            details.append({"code": "core"})
        if columns["core_pair"][at]:
            details.append({"code": "core_pair"})
        if columns["relief"][at]:
            hub_at = int(structure.main_hub[s])
            hub = labels[hub_at]
            reasons.append(
                f"today you reach the network mainly through {hub}; this would give you a "
                "second way in"
            )
            details.append({"code": "relief", "hub": ids[hub_at]})
        if not reasons:
            reasons.append("your profiles are similar")
            details.append({"code": "similar"})
        result.setdefault(ids[s], []).append(
            Recommendation(ids[s], ids[t], round(float(columns["score"][at]), 6), reasons, details)
        )
    return result


# --- evaluation -----------------------------------------------------------------------------------


def evaluate_recommendations(
    before: Graph, after: Graph, *, ks: Iterable[int] = (1, 3, 5), seed: int = 0
) -> dict[str, dict[int, dict[str, float]]]:
    """How many ties new in ``after`` were recommended from ``before``: precision and recall at k.

    Both networks are read on their skeletons and must hold the same members. A new tie counts as
    found when either of its two members had the other among their top ``k``. Three methods:
    ``recommender`` (:func:`recommend`, no load cap), ``shared_neighbours`` (most common
    neighbours first, then node order) and ``random`` (the expected value of picking ``k``
    non-partners at random, computed exactly).

    Returns
    -------
    dict
        Method to k to ``{"precision", "recall", "hits", "recommended", "new_ties"}``.

    Examples
    --------
    >>> from netweave.analysis import Graph, evaluate_recommendations
    >>> before = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "d")])
    >>> after = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")])
    >>> figures = evaluate_recommendations(before, after, ks=[1])
    >>> figures["recommender"][1]["recall"], figures["shared_neighbours"][1]["recall"]
    (1.0, 1.0)
    """
    ids = before.nodes
    n = len(ids)
    position = {node: at for at, node in enumerate(ids)}
    old = {frozenset(edge) for edge in before.edges()}
    new = {frozenset(edge) for edge in after.edges() if frozenset(edge) not in old}
    new = {pair for pair in new if len(pair) == 2 and all(node in position for node in pair)}
    ks = sorted(set(ks))
    csr = before.skeleton_csr()
    partners = [set(csr.indices[csr.indptr[i] : csr.indptr[i + 1]].tolist()) for i in range(n)]
    results: dict[str, dict[int, dict[str, float]]] = {}

    def score(lists: Mapping[int, list[int]], k: int) -> dict[str, float]:
        found: set[frozenset[Hashable]] = set()
        hits = recommended = 0
        for s, targets in lists.items():
            for t in targets[:k]:
                recommended += 1
                pair = frozenset((ids[s], ids[t]))
                if pair in new:
                    hits += 1
                    found.add(pair)
        return _figures(hits, recommended, len(found), len(new))

    most = max(ks)
    made = recommend(before, top=most, seed=seed, max_per_target=n)
    ours = {position[node]: [position[r.target] for r in items] for node, items in made.items()}
    results["recommender"] = {k: score(ours, k) for k in ks}
    counts = (csr @ csr).tocsr()
    shared: dict[int, list[int]] = {}
    for s in range(n):
        row = counts.indices[counts.indptr[s] : counts.indptr[s + 1]]
        data = counts.data[counts.indptr[s] : counts.indptr[s + 1]]
        pairs = [(-int(c), t) for t, c in zip(row.tolist(), data.tolist(), strict=True)]
        pairs = [(c, t) for c, t in pairs if t != s and t not in partners[s] and c < 0]
        shared[s] = [t for _, t in sorted(pairs)]
    results["shared_neighbours"] = {k: score(shared, k) for k in ks}
    new_of: dict[Hashable, list[frozenset[Hashable]]] = {}
    for pair in new:
        for node in pair:
            new_of.setdefault(node, []).append(pair)
    random_figures: dict[int, dict[str, float]] = {}
    for k in ks:
        hits = recommended = 0.0
        miss_all: dict[frozenset[Hashable], float] = {}
        for s in range(n):
            pool = n - 1 - len(partners[s])
            if pool <= 0:
                continue
            take = min(k, pool)
            recommended += take
            mine = new_of.get(ids[s], [])
            hits += take * len(mine) / pool
            for pair in mine:
                miss_all[pair] = miss_all.get(pair, 1.0) * (1 - take / pool)
        found = sum(1 - miss_all.get(pair, 1.0) for pair in new)
        random_figures[k] = _figures(hits, recommended, found, len(new))
    results["random"] = random_figures
    return results


def _figures(hits: float, recommended: float, found: float, new: int) -> dict[str, float]:
    return {
        "precision": hits / recommended if recommended else 0.0,
        "recall": found / new if new else 0.0,
        "hits": float(hits),
        "recommended": float(recommended),
        "new_ties": float(new),
    }
