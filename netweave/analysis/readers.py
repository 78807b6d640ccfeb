"""Reading networks from files: CSV edge lists, node lists, GraphML and GEXF.

Every reader returns a :class:`~netweave.analysis.graph.Graph` or raises
:class:`~netweave.analysis.exceptions.GraphFormatError` with a message that names the file and the
row, element or value to fix. What the readers accept:

- **CSV edge list**: a header row naming ``source`` and ``target`` (any case, in any column) and
  optionally ``weight``; other columns are ignored. Commas, semicolons or tabs. UTF-8 (a byte-order
  mark is fine). Undirected unless ``directed=True``.
- **CSV node list** (``--nodes``): the ``id`` column, or else the first column, holds the node id;
  the other columns become attributes (a ``label`` or ``name`` column names the member in reports).
  Every node named by the network file must then be listed, and listed nodes without ties are kept
  as isolates.
- **GraphML**: keys with their types and defaults, nested graphs, per-edge ``directed``; ports,
  hyperedges and graph-level data are ignored (hyperedges with a warning).
- **GEXF** 1.1 to 1.3, with or without ``www.`` in the namespace (Gephi's own examples use
  ``http://gexf.net/...``), attributes and their defaults, hierarchies (nested nodes and ``pid``),
  edge ``type`` (directed, undirected, mutual) and ``weight``. A dynamic file is read as the union
  of everything that exists at any time.

A GraphML or GEXF file says itself whether it is directed: its default edge type, or any edge
declared directed. In a directed network an edge declared undirected (or ``mutual``) becomes two
ties, one each way. ``directed=True`` reads every edge without a direction of its own as a tie from
source to target; ``directed=False`` reads every edge as undirected.

The XML readers use the standard library's expat parser, which never fetches external entities and,
from expat 2.4 on, refuses entity-expansion bombs.
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from netweave.analysis.exceptions import GraphFormatError
from netweave.analysis.graph import Graph

__all__ = [
    "read_edge_csv",
    "read_gexf",
    "read_graph",
    "read_graphml",
    "read_nodes_csv",
    "sniff_format",
]

PathLike = str | os.PathLike[str]
NodeTable = Mapping[Hashable, Mapping[str, Any]]
CSV_DELIMITERS = (",", ";", "\t")


# --- CSV ------------------------------------------------------------------------------------------


def read_edge_csv(
    path: PathLike, *, directed: bool | None = None, nodes: PathLike | NodeTable | None = None
) -> Graph:
    """Read a CSV edge list: a header with ``source`` and ``target``, optionally ``weight``.

    Parameters
    ----------
    path : str or path
    directed : bool, optional
        Read each row as a tie from source to target (default: undirected).
    nodes : str, path or mapping, optional
        A node list (see :func:`read_nodes_csv`) or a mapping of id to attributes. Every node of
        the edge list must be in it.

    Returns
    -------
    Graph

    Raises
    ------
    GraphFormatError

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import GraphFormatError, read_edge_csv
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "ties.csv")
    >>> _ = open(path, "w").write("source,target,weight\\nana,ben,2\\nben,cleo,\\n")
    >>> graph = read_edge_csv(path)
    >>> graph.edges(), graph.weights()
    ([('ana', 'ben'), ('ben', 'cleo')], [2.0, 1.0])
    >>> _ = open(path, "w").write("from,to\\nana,ben\\n")
    >>> try:
    ...     read_edge_csv(path)
    ... except GraphFormatError as error:
    ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
    ties.csv: the first row must be a header naming the columns source and target
    (and optionally weight); it names: from, to
    """
    node_table = _node_table(nodes)
    name = Path(path).name
    ids: list[Hashable] = list(node_table) if node_table is not None else []
    index: dict[Hashable, int] = {node: position for position, node in enumerate(ids)}
    sources: list[int] = []
    targets: list[int] = []
    weights: list[float] = []
    weighted = False
    with _open_text(path) as rows:
        header_line = next(rows, None)
        if header_line is None:
            raise GraphFormatError(f"{name} is empty: expected a header row and one tie per row")
        delimiter, columns = _csv_header(header_line)
        lowered = [column.strip().lower() for column in columns]
        if "source" not in lowered or "target" not in lowered:
            found = ", ".join(column.strip() for column in columns if column.strip()) or "nothing"
            raise GraphFormatError(
                f"{name}: the first row must be a header naming the columns source and target "
                f"(and optionally weight); it names: {found}"
            )
        source_at, target_at = lowered.index("source"), lowered.index("target")
        weight_at = lowered.index("weight") if "weight" in lowered else None
        weighted = weight_at is not None
        width = max(source_at, target_at, weight_at if weight_at is not None else 0) + 1
        for row_number, row in enumerate(csv.reader(rows, delimiter=delimiter), start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) < width:
                raise GraphFormatError(
                    f"{name}, row {row_number}: {len(row)} column(s) where the header has "
                    f"{len(columns)}"
                )
            ends = []
            for at, column in ((source_at, "source"), (target_at, "target")):
                node = row[at].strip()
                if not node:
                    raise GraphFormatError(f"{name}, row {row_number}: the {column} is empty")
                position = index.get(node)
                if position is None:
                    if node_table is not None:
                        raise GraphFormatError(
                            f"{name}, row {row_number}: {column} {node!r} is not in the node list"
                        )
                    position = index[node] = len(ids)
                    ids.append(node)
                ends.append(position)
            sources.append(ends[0])
            targets.append(ends[1])
            if weight_at is not None:
                weights.append(_csv_weight(row[weight_at], name, row_number))
    return Graph.from_arrays(
        len(ids),
        np.array(sources, dtype=np.int64),
        np.array(targets, dtype=np.int64),
        directed=bool(directed),
        weights=np.array(weights, dtype=np.float64) if weighted else None,
        ids=ids,
        attributes=node_table,
        name=Path(path).stem,
    )


def read_nodes_csv(path: PathLike) -> dict[str, dict[str, str]]:
    """Read a node list: the ``id`` column (or the first) and the nodes' attributes.

    Empty cells are left out of the attributes; values stay text.

    Returns
    -------
    dict
        Node id to a dict of attributes, in file order.

    Raises
    ------
    GraphFormatError
        No header, an empty id, or the same id twice.

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import read_nodes_csv
    >>> path = os.path.join(tempfile.mkdtemp(), "people.csv")
    >>> _ = open(path, "w").write("name,id,city\\nAna,a1,Lima\\nBen,b2,\\n")
    >>> read_nodes_csv(path)
    {'a1': {'name': 'Ana', 'city': 'Lima'}, 'b2': {'name': 'Ben'}}
    """
    name = Path(path).name
    table: dict[str, dict[str, str]] = {}
    with _open_text(path) as rows:
        header_line = next(rows, None)
        if header_line is None:
            raise GraphFormatError(f"{name} is empty: expected a header row and one node per row")
        delimiter, columns = _csv_header(header_line)
        columns = [column.strip() for column in columns]
        lowered = [column.lower() for column in columns]
        id_at = lowered.index("id") if "id" in lowered else 0
        if not columns[id_at]:
            raise GraphFormatError(f"{name}: the header row names no id column")
        for row_number, row in enumerate(csv.reader(rows, delimiter=delimiter), start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            node = row[id_at].strip() if id_at < len(row) else ""
            if not node:
                raise GraphFormatError(f"{name}, row {row_number}: the {columns[id_at]} is empty")
            if node in table:
                raise GraphFormatError(f"{name}, row {row_number}: node {node!r} is listed twice")
            table[node] = {
                column: cell.strip()
                for at, (column, cell) in enumerate(zip(columns, row, strict=False))
                if at != id_at and column and cell.strip()
            }
    return table


# --- GraphML --------------------------------------------------------------------------------------

GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}
GRAPHML_DOMAINS = {"node", "edge", "graph", "all", "graphml", "hyperedge", "port", "endpoint"}


@dataclass
class _Key:
    name: str
    domain: str
    kind: str
    default: Any = None


def read_graphml(
    path: PathLike, *, directed: bool | None = None, nodes: PathLike | NodeTable | None = None
) -> Graph:
    """Read a GraphML file.

    Parameters
    ----------
    path : str or path
    directed : bool, optional
        None (default): as the file says. True: edges without a direction of their own go from
        source to target. False: every edge is undirected.
    nodes : str, path or mapping, optional
        A node list that adds attributes and isolates; every node of the file must be in it.

    Returns
    -------
    Graph

    Raises
    ------
    GraphFormatError
        Not well-formed XML (with the line and column), not GraphML, a key declared twice or with
        an unknown type, data for an undeclared key, a value that does not fit its key's type, a
        node declared twice or an edge to an undeclared node.

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import read_graphml
    >>> path = os.path.join(tempfile.mkdtemp(), "club.graphml")
    >>> _ = open(path, "w").write('''<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
    ...   <key id="d0" for="node" attr.name="name" attr.type="string"/>
    ...   <graph edgedefault="directed">
    ...     <node id="n0"><data key="d0">Ana</data></node><node id="n1"/>
    ...     <edge source="n0" target="n1"/>
    ...   </graph></graphml>''')
    >>> graph = read_graphml(path)
    >>> graph, graph.label("n0"), graph.edges()
    (<Graph directed: 2 nodes, 1 ties>, 'Ana', [('n0', 'n1')])
    """
    name = Path(path).name
    keys: dict[str, _Key] = {}
    builder = _Builder(name)
    edge_default: list[bool] = []
    stack: list[ElementTree.Element] = []
    ignored_data: dict[str, str] = {}
    hyperedges = 0
    for event, element in _xml_events(path, name):
        tag = _local(element.tag)
        if event == "start":
            if not stack and tag != "graphml":
                raise GraphFormatError(f"{name} is not GraphML: it starts with <{tag}>")
            if tag == "graph":
                default = element.get("edgedefault")
                if default not in (None, "directed", "undirected"):
                    raise GraphFormatError(
                        f'{name}: a <graph> has edgedefault="{default}"; '
                        "expected directed or undirected"
                    )
                edge_default.append(
                    default == "directed"
                    if default
                    else (edge_default[-1] if edge_default else False)
                )
            stack.append(element)
            continue
        stack.pop()
        if tag == "key":
            key_id, key = _graphml_key(element, name)
            if key_id in keys:
                raise GraphFormatError(f"{name}: key {key_id!r} is declared twice")
            keys[key_id] = key
        elif tag in ("node", "edge") and not edge_default:
            raise GraphFormatError(f"{name}: a <{tag}> outside any <graph>")
        elif tag == "node":
            node = _node_id(element, name)
            values = _graphml_data(element, keys, "node", f"node {node!r}", name, ignored_data)
            builder.add_node(node, values)
        elif tag == "edge":
            source, target, where = _edge_ends(element, name)
            own = element.get("directed")
            if own is not None and own.strip().lower() not in ("true", "false"):
                raise GraphFormatError(f'{name}: {where} has directed="{own}"; expected true/false')
            is_directed = edge_default[-1] if own is None else own.strip().lower() == "true"
            values = _graphml_data(element, keys, "edge", where, name, ignored_data)
            builder.add_edge(source, target, values.get("weight"), is_directed, own is not None)
        elif tag == "hyperedge":
            hyperedges += 1
        elif tag == "graph":
            edge_default.pop()
        if tag in ("key", "node", "edge", "hyperedge") and stack:
            stack[-1].remove(element)
    if hyperedges:
        builder.warnings.append(f"{hyperedges} hyperedge(s) ignored: only ties between two ends")
    for key_id, domain in ignored_data.items():
        builder.warnings.append(f"data for key {key_id!r} ignored on a {domain}: not its kind")
    return builder.build(directed=directed, nodes=_node_table(nodes), name=Path(path).stem)


def _graphml_key(element: ElementTree.Element, name: str) -> tuple[str, _Key]:
    key_id = element.get("id")
    if not key_id:
        raise GraphFormatError(f"{name}: a <key> has no id")
    domain = element.get("for", "all")
    if domain not in GRAPHML_DOMAINS:
        raise GraphFormatError(
            f'{name}: key {key_id!r} has for="{domain}"; expected node, edge, graph or all'
        )
    kind = element.get("attr.type", "string")
    if kind not in GRAPHML_TYPES:
        raise GraphFormatError(
            f'{name}: key {key_id!r} has attr.type="{kind}"; expected boolean, int, long, float, '
            "double or string"
        )
    key = _Key(name=element.get("attr.name") or key_id, domain=domain, kind=kind)
    for child in element:
        if _local(child.tag) == "default":
            key.default = _typed(child.text or "", kind, f"the default of key {key_id!r}", name)
    return key_id, key


def _graphml_data(
    element: ElementTree.Element,
    keys: dict[str, _Key],
    domain: str,
    where: str,
    name: str,
    ignored: dict[str, str],
) -> dict[str, Any]:
    values = {
        key.name: key.default
        for key in keys.values()
        if key.domain in (domain, "all") and key.default is not None
    }
    for child in element:
        if _local(child.tag) != "data":
            continue
        key_id = child.get("key")
        key = keys.get(key_id or "")
        if key is None:
            raise GraphFormatError(
                f"{name}: {where} has data for key {key_id!r}, which no <key> declares"
            )
        if key.domain not in (domain, "all"):
            ignored[key_id or ""] = domain
            continue
        text = "".join(child.itertext())
        values[key.name] = _typed(text, key.kind, f"{where}, key {key_id!r}", name)
    return values


# --- GEXF -----------------------------------------------------------------------------------------

GEXF_INT = {"integer", "long", "short", "byte", "int"}
GEXF_FLOAT = {"float", "double", "bigdecimal"}


def read_gexf(
    path: PathLike, *, directed: bool | None = None, nodes: PathLike | NodeTable | None = None
) -> Graph:
    """Read a GEXF file (versions 1.1 to 1.3, any of Gephi's namespaces).

    Parameters
    ----------
    path : str or path
    directed : bool, optional
        None (default): as the file says. True: edges without a type of their own go from source
        to target. False: every edge is undirected.
    nodes : str, path or mapping, optional
        A node list that adds attributes and isolates; every node of the file must be in it.

    Returns
    -------
    Graph

    Raises
    ------
    GraphFormatError

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import read_gexf
    >>> path = os.path.join(tempfile.mkdtemp(), "hello.gexf")
    >>> _ = open(path, "w").write('''<gexf xmlns="http://gexf.net/1.3" version="1.3">
    ...   <graph defaultedgetype="directed"><nodes>
    ...     <node id="0" label="Hello"/><node id="1" label="World"/>
    ...   </nodes><edges><edge source="0" target="1" weight="2.5"/></edges></graph></gexf>''')
    >>> graph = read_gexf(path)
    >>> graph, graph.label("1"), graph.weights()
    (<Graph directed: 2 nodes, 1 ties>, 'World', [2.5])
    """
    name = Path(path).name
    builder = _Builder(name)
    declared: dict[str, dict[str, tuple[str, str, Any]]] = {"node": {}, "edge": {}}
    attribute_class: list[str] = []
    stack: list[ElementTree.Element] = []
    default_directed = False
    dynamic = False
    for event, element in _xml_events(path, name):
        tag = _local(element.tag)
        if event == "start":
            if not stack and tag != "gexf":
                raise GraphFormatError(f"{name} is not GEXF: it starts with <{tag}>")
            if tag == "graph":
                kind = element.get("defaultedgetype", "undirected")
                if kind not in ("directed", "undirected", "mutual"):
                    raise GraphFormatError(
                        f'{name}: <graph defaultedgetype="{kind}">; expected directed, '
                        "undirected or mutual"
                    )
                default_directed = kind != "undirected"
                dynamic = element.get("mode") == "dynamic"
            elif tag == "attributes":
                attribute_class.append(element.get("class", "node"))
            stack.append(element)
            continue
        stack.pop()
        if tag == "attribute":
            domain = attribute_class[-1] if attribute_class else "node"
            attribute_id = element.get("id")
            if attribute_id is None:
                raise GraphFormatError(f"{name}: an <attribute> has no id")
            kind = element.get("type", "string")
            title = element.get("title") or attribute_id
            default = None
            for child in element:
                if _local(child.tag) == "default":
                    default = _gexf_value(child.text or "", kind, f"the default of {title!r}", name)
            declared.setdefault(domain, {})[attribute_id] = (title, kind, default)
        elif tag == "attributes":
            if attribute_class:
                attribute_class.pop()
        elif tag == "node":
            node = _node_id(element, name)
            values = _gexf_attvalues(element, declared.get("node", {}), f"node {node!r}", name)
            label = element.get("label")
            if label is not None:
                values["label"] = label
            builder.add_node(node, values, repeat_ok=dynamic)
        elif tag == "edge":
            source, target, where = _edge_ends(element, name)
            edge_kind = element.get("type")
            if edge_kind not in (None, "directed", "undirected", "mutual"):
                raise GraphFormatError(
                    f'{name}: {where} has type="{edge_kind}"; '
                    "expected directed, undirected or mutual"
                )
            weight_text = element.get("weight")
            weight = None
            if weight_text is not None:
                weight = _gexf_value(weight_text, "double", f"{where}, weight", name)
            is_directed = default_directed if edge_kind is None else edge_kind == "directed"
            if edge_kind == "mutual":
                builder.mutual = True
            builder.add_edge(source, target, weight, is_directed, edge_kind is not None)
        if tag in ("attribute", "node", "edge") and stack:
            stack[-1].remove(element)
    if dynamic:
        builder.warnings.append("dynamic network: read as everything that exists at any time")
    return builder.build(directed=directed, nodes=_node_table(nodes), name=Path(path).stem)


def _gexf_attvalues(
    element: ElementTree.Element,
    declared: dict[str, tuple[str, str, Any]],
    where: str,
    name: str,
) -> dict[str, Any]:
    values = {title: default for title, _, default in declared.values() if default is not None}
    for child in element:
        if _local(child.tag) != "attvalues":
            continue
        for attvalue in child:
            if _local(attvalue.tag) != "attvalue":
                continue
            attribute_id = attvalue.get("for", attvalue.get("id"))
            if attribute_id not in declared:
                raise GraphFormatError(
                    f"{name}: {where} has a value for attribute {attribute_id!r}, which no "
                    "<attribute> declares"
                )
            title, kind, _ = declared[attribute_id]
            values[title] = _gexf_value(attvalue.get("value", ""), kind, f"{where}, {title}", name)
    return values


def _gexf_value(text: str, kind: str, where: str, name: str) -> Any:
    kind = kind.lower()
    if kind in GEXF_INT:
        return _typed(text, "long", where, name)
    if kind in GEXF_FLOAT:
        return _typed(text, "double", where, name)
    if kind == "boolean":
        return _typed(text, "boolean", where, name)
    return text


# --- any format -----------------------------------------------------------------------------------


def sniff_format(path: PathLike) -> str:
    """Which reader a file needs: ``"graphml"``, ``"gexf"`` or ``"csv"``.

    XML files are told apart by their root element, whatever their extension; anything else is
    read as CSV.

    Raises
    ------
    GraphFormatError
        The file does not exist, cannot be read or is empty.

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import sniff_format
    >>> path = os.path.join(tempfile.mkdtemp(), "network.xml")
    >>> _ = open(path, "w").write('<?xml version="1.0"?><!-- made by hand --><gexf/>')
    >>> sniff_format(path)
    'gexf'
    """
    name = Path(path).name
    with _opening(path), open(path, "rb") as handle:
        head = handle.read(8192)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise GraphFormatError(f"{name} is empty")
    suffix = Path(path).suffix.lower()
    if text.startswith(b"<"):
        lowered = text.lower()
        at_graphml, at_gexf = lowered.find(b"<graphml"), lowered.find(b"<gexf")
        if at_graphml >= 0 and (at_gexf < 0 or at_graphml < at_gexf):
            return "graphml"
        if at_gexf >= 0:
            return "gexf"
        return "gexf" if suffix == ".gexf" else "graphml"
    if suffix == ".gexf":
        return "gexf"
    if suffix in (".graphml", ".xml"):
        return "graphml"
    return "csv"


def read_graph(
    path: PathLike, *, directed: bool | None = None, nodes: PathLike | NodeTable | None = None
) -> Graph:
    """Read a CSV edge list, a GraphML or a GEXF file, whichever ``path`` holds.

    Parameters
    ----------
    path : str or path
    directed : bool, optional
        See :func:`read_edge_csv`, :func:`read_graphml` and :func:`read_gexf`.
    nodes : str, path or mapping, optional
        A node list (CSV) or a mapping of id to attributes.

    Returns
    -------
    Graph

    Raises
    ------
    GraphFormatError

    Examples
    --------
    >>> import tempfile, os
    >>> from netweave.analysis import read_graph
    >>> path = os.path.join(tempfile.mkdtemp(), "ties.csv")
    >>> _ = open(path, "w").write("source,target\\na,b\\nb,c\\n")
    >>> read_graph(path, directed=True)
    <Graph directed: 3 nodes, 2 ties>
    """
    kind = sniff_format(path)
    if kind == "graphml":
        return read_graphml(path, directed=directed, nodes=nodes)
    if kind == "gexf":
        return read_gexf(path, directed=directed, nodes=nodes)
    return read_edge_csv(path, directed=directed, nodes=nodes)


# --- shared ---------------------------------------------------------------------------------------


class _Builder:
    """Collects the nodes and edges of an XML file, then checks and builds the Graph."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.ids: list[str] = []
        self.index: dict[str, int] = {}
        self.attributes: dict[Hashable, dict[str, Any]] = {}
        self.edges: list[tuple[str, str]] = []
        self.weights: list[Any] = []
        self.directed_flags: list[bool] = []
        self.own_direction: list[bool] = []
        self.bad_weight: Any = None
        self.mutual = False
        self.warnings: list[str] = []

    def add_node(self, node: str, values: dict[str, Any], *, repeat_ok: bool = False) -> None:
        if node in self.index:
            if not repeat_ok:
                raise GraphFormatError(f"{self.name}: node {node!r} is declared twice")
            # A dynamic GEXF declares a node once per time span it exists in.
            self.attributes.setdefault(node, {}).update(values)
            return
        self.index[node] = len(self.ids)
        self.ids.append(node)
        if values:
            self.attributes[node] = values

    def add_edge(self, source: str, target: str, weight: Any, is_directed: bool, own: bool) -> None:
        self.edges.append((source, target))
        if isinstance(weight, bool) or (weight is not None and not isinstance(weight, int | float)):
            # A boolean is not a weight; text that reads as a number is.
            number = None if isinstance(weight, bool) else _float_or_none(weight)
            if number is None and self.bad_weight is None:
                self.bad_weight = weight
            weight = number
        if weight is not None and not math.isfinite(weight):
            raise GraphFormatError(
                f"{self.name}: edge {source!r} -> {target!r} has weight {weight}; "
                "a weight must be a finite number"
            )
        self.weights.append(weight)
        self.directed_flags.append(is_directed)
        self.own_direction.append(own)

    def build(self, *, directed: bool | None, nodes: NodeTable | None, name: str) -> Graph:
        index = self.index
        sources = np.empty(len(self.edges), dtype=np.int64)
        targets = np.empty(len(self.edges), dtype=np.int64)
        for number, (source, target) in enumerate(self.edges):
            for end, node in (("source", source), ("target", target)):
                if node not in index:
                    raise GraphFormatError(
                        f"{self.name}: edge {source!r} -> {target!r} has {end} {node!r}, which is "
                        "not a declared node"
                    )
            sources[number] = index[source]
            targets[number] = index[target]
        flags = np.array(self.directed_flags, dtype=bool)
        own = np.array(self.own_direction, dtype=bool)
        if directed is None:
            is_directed = bool(flags.any())
        else:
            is_directed = bool(directed)
            if directed:
                flags = np.where(own, flags, True)
        weighted = any(weight is not None for weight in self.weights)
        weights = np.array(
            [1.0 if weight is None else weight for weight in self.weights], dtype=np.float64
        )
        if self.bad_weight is not None:
            self.warnings.append(
                f"edge weights that are not numbers (such as {self.bad_weight!r}) were ignored"
            )
        if is_directed and not flags.all():
            both_ways = ~flags
            sources, targets = (
                np.concatenate([sources, targets[both_ways]]),
                np.concatenate([targets, sources[both_ways]]),
            )
            weights = np.concatenate([weights, weights[both_ways]])
        ids: list[Hashable] = list(self.ids)
        attributes = self.attributes
        if nodes is not None:
            missing = [node for node in ids if node not in nodes]
            if missing:
                raise GraphFormatError(
                    f"{self.name}: node {missing[0]!r} is not in the node list"
                    + (f" (nor are {len(missing) - 1} others)" if len(missing) > 1 else "")
                )
            order = list(nodes)
            position = {node: at for at, node in enumerate(order)}
            remap = np.array([position[node] for node in ids], dtype=np.int64)
            if sources.size:
                sources, targets = remap[sources], remap[targets]
            attributes = {node: {**attributes.get(node, {}), **nodes[node]} for node in order}
            ids = order
        return Graph.from_arrays(
            len(ids),
            sources,
            targets,
            directed=is_directed,
            weights=weights if weighted else None,
            ids=ids,
            attributes=attributes,
            warnings=self.warnings,
            name=name,
        )


@contextlib.contextmanager
def _opening(path: PathLike, kind: str = "network file") -> Iterator[None]:
    """Turns a file that is missing, a folder or unreadable into a GraphFormatError."""
    try:
        yield
    except FileNotFoundError:
        raise GraphFormatError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise GraphFormatError(f"{path} is a folder, not a {kind}") from None
    except OSError as error:
        raise GraphFormatError(f"{path} cannot be read: {error.strerror or error}") from None


def _xml_events(path: PathLike, name: str) -> Iterator[tuple[str, ElementTree.Element]]:
    with _opening(path):
        try:
            # Expat fetches no external entity and (2.4+) refuses entity-expansion bombs; the
            # files are the user's own, read to analyse them.
            yield from ElementTree.iterparse(path, events=("start", "end"))  # noqa: S314
        except ElementTree.ParseError as error:
            line, column = getattr(error, "position", (0, 0))
            reason = str(error).split(":")[0]
            raise GraphFormatError(
                f"{name} is not well-formed XML: {reason} at line {line}, column {column + 1}"
            ) from None


def _node_id(element: ElementTree.Element, name: str) -> str:
    node = element.get("id")
    if not node:
        raise GraphFormatError(f"{name}: a <node> has no id")
    return node


def _edge_ends(element: ElementTree.Element, name: str) -> tuple[str, str, str]:
    """An edge's source and target, and how messages name it."""
    source, target = element.get("source"), element.get("target")
    if not source or not target:
        raise GraphFormatError(f"{name}: an <edge> lacks its source or target")
    return source, target, f"edge {source!r} -> {target!r}"


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _typed(text: str, kind: str, where: str, name: str) -> Any:
    value = text.strip()
    if kind == "string":
        return text
    if kind == "boolean":
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise GraphFormatError(f"{name}: {where}: {text!r} is not a boolean (true or false)")
    if kind in ("int", "long"):
        try:
            return int(value)
        except ValueError:
            try:
                number = float(value)
            except ValueError:
                number = math.nan
            if math.isfinite(number) and number.is_integer():
                return int(number)
            raise GraphFormatError(f"{name}: {where}: {text!r} is not a whole number") from None
    try:
        return float(value)
    except ValueError:
        raise GraphFormatError(f"{name}: {where}: {text!r} is not a number") from None


def _float_or_none(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _open_text(path: PathLike) -> Any:
    with _opening(path, "CSV file"):
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    return _CheckedText(handle, Path(path).name)


class _CheckedText:
    """A text file whose decoding errors become GraphFormatError (with the line number)."""

    def __init__(self, handle: Any, name: str) -> None:
        self.handle = handle
        self.name = name
        self.line = 0

    def __enter__(self) -> _CheckedText:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def __iter__(self) -> _CheckedText:
        return self

    def __next__(self) -> str:
        try:
            line: str = next(self.handle)
        except UnicodeDecodeError:
            raise GraphFormatError(
                f"{self.name}, line {self.line + 1}: not UTF-8 text; save the file as UTF-8 CSV"
            ) from None
        self.line += 1
        return line


def _csv_header(line: str) -> tuple[str, list[str]]:
    best = ",", next(csv.reader([line], delimiter=","), [])
    for delimiter in CSV_DELIMITERS:
        columns = next(csv.reader([line], delimiter=delimiter), [])
        lowered = {column.strip().lower() for column in columns}
        if {"source", "target"} <= lowered or (delimiter != "," and "id" in lowered):
            return delimiter, columns
        if len(columns) > len(best[1]):
            best = delimiter, columns
    return best


def _csv_weight(cell: str, name: str, row_number: int) -> float:
    text = cell.strip()
    if not text:
        return 1.0
    try:
        number = float(text)
    except ValueError:
        raise GraphFormatError(
            f"{name}, row {row_number}: weight {text!r} is not a number"
        ) from None
    if not math.isfinite(number):
        raise GraphFormatError(f"{name}, row {row_number}: weight {text!r} is not a finite number")
    return number


def _node_table(nodes: PathLike | NodeTable | None) -> NodeTable | None:
    if nodes is None:
        return None
    if isinstance(nodes, Mapping):
        return nodes
    table: dict[Hashable, Mapping[str, Any]] = {
        node: values for node, values in read_nodes_csv(nodes).items()
    }
    return table
