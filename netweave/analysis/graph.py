"""The network itself: members (nodes), ties (edges) and their attributes, built from plain data.

A :class:`Graph` is immutable once built and always *simple*: a tie from a member to themself is
dropped, and repeated ties between the same two members (the same ordered pair in a directed
network) are merged into one whose weight is the sum of theirs. Both are counted in
:attr:`Graph.warnings`, so a reader can say what it did. Every figure of the library is computed on
the ties alone (weights are kept for display and export, not used by the figures), and a directed
network also has an undirected *skeleton* -- two members are linked if a tie goes either way --
on which the figures that NetworkX defines only for undirected graphs are computed.

Node ids are kept as given (strings from files, any hashable from plain data) and nodes keep the
order in which they were first seen: listed nodes first, then the ends of the ties.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np

from netweave.analysis.exceptions import AnalysisError, GraphFormatError, NodeNotFound

__all__ = ["Graph"]

LABEL_ATTRIBUTES = ("label", "name", "Label", "Name")


class Graph:
    """A simple network of members (nodes) and ties (edges), directed or not.

    Build one with :meth:`Graph.from_edges` (plain data), :meth:`Graph.from_arrays` (NumPy index
    arrays, for large generated networks) or a reader of :mod:`netweave.analysis.readers`.

    Examples
    --------
    >>> from netweave.analysis import Graph
    >>> graph = Graph.from_edges([("ana", "ben"), ("ben", "cleo"), ("ben", "ana")])
    >>> graph
    <Graph undirected: 3 nodes, 2 ties>
    >>> graph.nodes
    ('ana', 'ben', 'cleo')
    >>> graph.edges()
    [('ana', 'ben'), ('ben', 'cleo')]
    >>> graph.warnings
    ['1 repeated tie merged into one (weights added)']
    """

    __slots__ = (
        "_attributes",
        "_cache",
        "_ids",
        "_index",
        "_sources",
        "_targets",
        "_weights",
        "directed",
        "name",
        "warnings",
    )

    def __init__(
        self,
        ids: Sequence[Hashable],
        sources: np.ndarray,
        targets: np.ndarray,
        *,
        directed: bool = False,
        weights: np.ndarray | None = None,
        attributes: Mapping[Hashable, Mapping[str, Any]] | None = None,
        warnings: Iterable[str] = (),
        name: str = "",
    ) -> None:
        """Use :meth:`from_edges` or :meth:`from_arrays`; this takes already simplified arrays."""
        self._ids: tuple[Hashable, ...] = tuple(ids)
        self._index: dict[Hashable, int] | None = None
        self._sources = np.asarray(sources, dtype=np.int64)
        self._targets = np.asarray(targets, dtype=np.int64)
        self._weights = None if weights is None else np.asarray(weights, dtype=np.float64)
        self._attributes: dict[Hashable, dict[str, Any]] = {
            node: dict(values) for node, values in (attributes or {}).items() if values
        }
        self.directed = bool(directed)
        self.warnings: list[str] = list(warnings)
        self.name = name
        self._cache: dict[str, Any] = {}

    # --- building ---------------------------------------------------------------------------------

    @classmethod
    def from_edges(
        cls,
        edges: Iterable[Sequence[Any]],
        *,
        nodes: Iterable[Hashable] | Mapping[Hashable, Mapping[str, Any]] | None = None,
        directed: bool = False,
        name: str = "",
    ) -> Graph:
        """Build a network from plain data.

        Parameters
        ----------
        edges : iterable of (source, target) or (source, target, weight)
            The ties. Node ids may be any hashable value except None; a weight is a finite number
            (1 when left out).
        nodes : iterable of ids, or mapping of id to a dict of attributes, optional
            Members to include even without ties (isolates), and their attributes. A ``label`` or
            ``name`` attribute is used when the member is named in a text report.
        directed : bool
            Whether a tie goes from source to target (``True``) or both ways (``False``).
        name : str
            What the network is called in reports.

        Returns
        -------
        Graph

        Raises
        ------
        GraphFormatError
            A tie without two ends, a node id of None, or a weight that is not a finite number.

        Examples
        --------
        >>> from netweave.analysis import Graph
        >>> graph = Graph.from_edges(
        ...     [("a", "b", 2), ("b", "c")], nodes={"d": {"label": "Dana"}}, directed=True
        ... )
        >>> graph.nodes, graph.number_of_edges()
        (('d', 'a', 'b', 'c'), 2)
        >>> graph.label("d"), graph.weights()
        ('Dana', [2.0, 1.0])
        """
        index: dict[Hashable, int] = {}
        ids: list[Hashable] = []
        attributes: dict[Hashable, dict[str, Any]] = {}

        def add(node: Hashable, where: str) -> int:
            position = index.get(node)
            if position is None:
                if node is None:
                    raise GraphFormatError(f"{where} has no node id (None)")
                try:
                    position = index.setdefault(node, len(ids))
                except TypeError:
                    raise GraphFormatError(
                        f"{where} has a node id that cannot be used as a key: {node!r}"
                    ) from None
                ids.append(node)
            return position

        if nodes is not None:
            if isinstance(nodes, Mapping):
                for node, values in nodes.items():
                    add(node, "a listed node")
                    if values:
                        attributes[node] = dict(values)
            else:
                for node in nodes:
                    add(node, "a listed node")
        sources: list[int] = []
        targets: list[int] = []
        weights: list[float] = []
        weighted = False
        for number, edge in enumerate(edges, start=1):
            if isinstance(edge, str | bytes) or not isinstance(edge, Sequence):
                raise GraphFormatError(
                    f"tie {number} is {edge!r}; a tie is (source, target) or "
                    "(source, target, weight)"
                )
            if len(edge) not in (2, 3):
                values = "value" if len(edge) == 1 else "values"
                raise GraphFormatError(
                    f"tie {number} has {len(edge)} {values}; a tie is (source, target) or "
                    "(source, target, weight)"
                )
            sources.append(add(edge[0], f"tie {number}"))
            targets.append(add(edge[1], f"tie {number}"))
            if len(edge) == 3:
                weights.append(_weight(edge[2], f"tie {number}"))
                weighted = True
            else:
                weights.append(1.0)
        return cls.from_arrays(
            len(ids),
            np.array(sources, dtype=np.int64),
            np.array(targets, dtype=np.int64),
            directed=directed,
            weights=np.array(weights, dtype=np.float64) if weighted else None,
            ids=ids,
            attributes=attributes,
            name=name,
        )

    @classmethod
    def from_arrays(
        cls,
        number_of_nodes: int,
        sources: Sequence[int] | np.ndarray,
        targets: Sequence[int] | np.ndarray,
        *,
        directed: bool = False,
        weights: Sequence[float] | np.ndarray | None = None,
        ids: Sequence[Hashable] | None = None,
        attributes: Mapping[Hashable, Mapping[str, Any]] | None = None,
        warnings: Iterable[str] = (),
        name: str = "",
    ) -> Graph:
        """Build a network from node positions: the fast path for large networks.

        Parameters
        ----------
        number_of_nodes : int
            Nodes are 0 .. number_of_nodes - 1.
        sources, targets : array-like of int
            The ends of each tie, as node positions.
        directed : bool
        weights : array-like of float, optional
        ids : sequence of hashable, optional
            The id of each node position (default: the positions themselves).
        attributes : mapping of id to dict, optional
        warnings : iterable of str
            Notes from whoever read the data; kept in :attr:`warnings`.
        name : str

        Returns
        -------
        Graph

        Examples
        --------
        >>> import numpy as np
        >>> from netweave.analysis import Graph
        >>> graph = Graph.from_arrays(4, np.array([0, 1, 2, 2]), np.array([1, 2, 0, 2]))
        >>> graph.edges()
        [(0, 1), (0, 2), (1, 2)]
        >>> graph.warnings
        ['1 tie from a member to themself dropped']
        """
        n = int(number_of_nodes)
        if n < 0:
            raise AnalysisError("number_of_nodes cannot be negative")
        if ids is None:
            ids = range(n)
        elif len(ids) != n:
            raise AnalysisError(f"{len(ids)} ids given for {n} nodes")
        src = np.asarray(sources, dtype=np.int64).ravel()
        dst = np.asarray(targets, dtype=np.int64).ravel()
        if src.shape != dst.shape:
            raise AnalysisError("sources and targets must have the same length")
        if src.size and (min(src.min(), dst.min()) < 0 or max(src.max(), dst.max()) >= n):
            raise AnalysisError(f"a tie names a node position outside 0..{n - 1}")
        weight_array = None
        if weights is not None:
            weight_array = np.asarray(weights, dtype=np.float64).ravel()
            if weight_array.shape != src.shape:
                raise AnalysisError("weights must have one value per tie")
            if not np.isfinite(weight_array).all():
                raise GraphFormatError("every weight must be a finite number")
        notes = list(warnings)
        src, dst, weight_array, loops, repeats = _simplify(n, src, dst, weight_array, directed)
        if loops:
            notes.append(
                f"{loops} tie{'s' if loops != 1 else ''} from a member to themself dropped"
            )
        if repeats:
            ties = "tie" if repeats == 1 else "ties"
            notes.append(f"{repeats} repeated {ties} merged into one (weights added)")
        return cls(
            ids,
            src,
            dst,
            directed=directed,
            weights=weight_array,
            attributes=attributes,
            warnings=notes,
            name=name,
        )

    # --- what it holds ----------------------------------------------------------------------------

    def __repr__(self) -> str:
        kind = "directed" if self.directed else "undirected"
        return f"<Graph {kind}: {self.number_of_nodes()} nodes, {self.number_of_edges()} ties>"

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self._ids)

    def __contains__(self, node: object) -> bool:
        try:
            return node in self._position_of()
        except TypeError:
            return False

    @property
    def nodes(self) -> tuple[Hashable, ...]:
        """The node ids, in order of their positions."""
        return self._ids

    def number_of_nodes(self) -> int:
        """How many members the network has (isolates included)."""
        return len(self._ids)

    def number_of_edges(self) -> int:
        """How many ties (after dropping self-ties and merging repeated ones)."""
        return int(self._sources.size)

    def index(self, node: Hashable) -> int:
        """The position of a node id.

        Raises
        ------
        NodeNotFound
        """
        try:
            return self._position_of()[node]
        except (KeyError, TypeError):
            raise NodeNotFound(f"node {node!r} is not in the network") from None

    def edges(self) -> list[tuple[Hashable, Hashable]]:
        """The ties as (source, target) id pairs; undirected ties have the lower position first."""
        ids = self._ids
        return [
            (ids[u], ids[v])
            for u, v in zip(self._sources.tolist(), self._targets.tolist(), strict=True)
        ]

    def weights(self) -> list[float] | None:
        """The tie weights in the order of :meth:`edges`, or None when no tie had one."""
        return None if self._weights is None else self._weights.tolist()

    def has_edge(self, source: Hashable, target: Hashable) -> bool:
        """Whether a tie links source to target (either way in an undirected network)."""
        try:
            u, v = self.index(source), self.index(target)
        except NodeNotFound:
            return False
        return bool(self.csr()[u, v])

    def attributes(self, node: Hashable) -> dict[str, Any]:
        """A copy of a node's attributes (empty when it has none)."""
        self.index(node)
        return dict(self._attributes.get(node, {}))

    def label(self, node: Hashable) -> str:
        """How to name a node for people: its ``label`` or ``name`` attribute, else its id."""
        values = self._attributes.get(node)
        if values:
            for key in LABEL_ATTRIBUTES:
                value = values.get(key)
                if value not in (None, ""):
                    return str(value)
        return str(node)

    # --- arrays and engines (shared, cached: do not modify what they return) ----------------------

    @property
    def sources(self) -> np.ndarray:
        """Source position of every tie (int64 array)."""
        return self._sources

    @property
    def targets(self) -> np.ndarray:
        """Target position of every tie (int64 array)."""
        return self._targets

    def to_igraph(self) -> Any:
        """The network as an ``igraph.Graph`` (cached and shared: treat it as read-only)."""
        if "igraph" not in self._cache:
            self._cache["igraph"] = _igraph(
                len(self._ids), self._sources, self._targets, self.directed
            )
        return self._cache["igraph"]

    def skeleton_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The undirected skeleton's ties (lower position first), one per linked pair."""
        if not self.directed:
            return self._sources, self._targets
        if "skeleton_arrays" not in self._cache:
            n = max(len(self._ids), 1)
            lo = np.minimum(self._sources, self._targets)
            hi = np.maximum(self._sources, self._targets)
            keys = np.unique(lo * n + hi)
            self._cache["skeleton_arrays"] = (keys // n, keys % n)
        return self._cache["skeleton_arrays"]

    def skeleton_igraph(self) -> Any:
        """The undirected skeleton as an ``igraph.Graph`` (the network itself when undirected)."""
        if not self.directed:
            return self.to_igraph()
        if "skeleton_igraph" not in self._cache:
            lo, hi = self.skeleton_arrays()
            self._cache["skeleton_igraph"] = _igraph(len(self._ids), lo, hi, False)
        return self._cache["skeleton_igraph"]

    def csr(self) -> Any:
        """The adjacency matrix as a SciPy CSR matrix (symmetric when undirected)."""
        if "csr" not in self._cache:
            self._cache["csr"] = _csr(len(self._ids), self._sources, self._targets, self.directed)
        return self._cache["csr"]

    def skeleton_csr(self) -> Any:
        """The skeleton's symmetric adjacency matrix (the same as :meth:`csr` when undirected)."""
        if not self.directed:
            return self.csr()
        if "skeleton_csr" not in self._cache:
            lo, hi = self.skeleton_arrays()
            self._cache["skeleton_csr"] = _csr(len(self._ids), lo, hi, False)
        return self._cache["skeleton_csr"]

    def degree_array(self) -> np.ndarray:
        """Each node's degree: number of ties, in + out for a directed network (as NetworkX)."""
        if "degree" not in self._cache:
            n = len(self._ids)
            self._cache["degree"] = np.bincount(self._sources, minlength=n) + np.bincount(
                self._targets, minlength=n
            )
        return self._cache["degree"]

    def in_degree_array(self) -> np.ndarray:
        """Each node's number of incoming ties (its degree when undirected)."""
        if not self.directed:
            return self.degree_array()
        return np.bincount(self._targets, minlength=len(self._ids))

    def out_degree_array(self) -> np.ndarray:
        """Each node's number of outgoing ties (its degree when undirected)."""
        if not self.directed:
            return self.degree_array()
        return np.bincount(self._sources, minlength=len(self._ids))

    def skeleton_degree_array(self) -> np.ndarray:
        """Each node's number of distinct partners, whatever the direction of the ties."""
        if not self.directed:
            return self.degree_array()
        if "skeleton_degree" not in self._cache:
            lo, hi = self.skeleton_arrays()
            n = len(self._ids)
            self._cache["skeleton_degree"] = np.bincount(lo, minlength=n) + np.bincount(
                hi, minlength=n
            )
        return self._cache["skeleton_degree"]

    def component_membership(self) -> np.ndarray:
        """Each node's connected component (weakly connected when directed), labelled 0, 1, ...
        in the order of the components' first members."""
        if "membership" not in self._cache:
            if not self._ids:
                self._cache["membership"] = np.zeros(0, dtype=np.int64)
            else:
                clusters = self.skeleton_igraph().connected_components()
                self._cache["membership"] = np.asarray(clusters.membership, dtype=np.int64)
        membership: np.ndarray = self._cache["membership"]
        return membership

    def _position_of(self) -> dict[Hashable, int]:
        if self._index is None:
            self._index = {node: position for position, node in enumerate(self._ids)}
        return self._index


def _weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise GraphFormatError(
                    f"{where} has weight {value!r}, which is not a number"
                ) from None
        else:
            raise GraphFormatError(f"{where} has weight {value!r}, which is not a number")
    else:
        number = float(value)
    if not math.isfinite(number):
        raise GraphFormatError(f"{where} has weight {value!r}; a weight must be a finite number")
    return number


def _simplify(
    n: int, src: np.ndarray, dst: np.ndarray, weights: np.ndarray | None, directed: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, int]:
    """Drop self-ties, merge repeated ties; ties come out sorted by (source, target)."""
    loops = src == dst
    loop_count = int(loops.sum())
    if loop_count:
        keep = ~loops
        src, dst = src[keep], dst[keep]
        weights = None if weights is None else weights[keep]
    if not directed:
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    keys = src * max(n, 1) + dst
    unique, inverse = np.unique(keys, return_inverse=True)
    repeats = int(keys.size - unique.size)
    if weights is not None:
        weights = np.bincount(inverse.ravel(), weights=weights, minlength=unique.size)
    return unique // max(n, 1), unique % max(n, 1), weights, loop_count, repeats


def _igraph(n: int, src: np.ndarray, dst: np.ndarray, directed: bool) -> Any:
    import igraph

    graph = igraph.Graph(n=n, directed=directed)
    if src.size:
        # A list of pairs of Python ints is the fastest input python-igraph takes.
        graph.add_edges(list(zip(src.tolist(), dst.tolist(), strict=True)))
    return graph


def _csr(n: int, src: np.ndarray, dst: np.ndarray, directed: bool) -> Any:
    from scipy import sparse

    if directed:
        rows, cols = src, dst
    else:
        rows, cols = np.concatenate([src, dst]), np.concatenate([dst, src])
    data = np.ones(rows.size, dtype=np.int8)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
    matrix.sort_indices()
    return matrix
