"""A snapshot as a file for NetworkX, Gephi, R or a spreadsheet: GraphML, GEXF 1.2, or CSV.

Every format carries the same things: one node per member (id = person id, so the file can be
imported back), with ``label`` (name), ``email``, ``organization``, ``org_kind``, ``country``,
``role`` (in the network), ``tier`` and the snapshot's node metrics (``degree``, ``betweenness``,
``closeness``, ``pagerank``, ``coreness``, ``community``, ``structural_role``, ``cuts_off``); one
undirected edge per linked pair with its ``weight``. Exports are for coordinators only
(Capability.EXPORT), who see every name, so names and emails are always filled in.

GEXF is written as version 1.2draft (``http://www.gexf.net/1.2draft``), the version both Gephi
and ``networkx.read_gexf`` read. A figure that is undefined is left out rather than written as NaN.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from netweave.people.models import Person
from netweave.ties.models import Snapshot

__all__ = ["EXPORT_FORMATS", "export_snapshot", "snapshot_export_rows"]

EXPORT_FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "zip": ("application/zip", "zip"),
    "nodes.csv": ("text/csv; charset=utf-8", "nodes.csv"),
    "edges.csv": ("text/csv; charset=utf-8", "edges.csv"),
}
# (name, type) of every node attribute, in column order; types as GraphML names them.
NODE_ATTRIBUTES = (
    ("label", "string"),
    ("email", "string"),
    ("organization", "string"),
    ("org_kind", "string"),
    ("country", "string"),
    ("role", "string"),
    ("tier", "string"),
    ("degree", "int"),
    ("betweenness", "double"),
    ("closeness", "double"),
    ("pagerank", "double"),
    ("coreness", "int"),
    ("community", "int"),
    ("structural_role", "string"),
    ("cuts_off", "int"),
)
METRIC_NAMES = {"structural_role": "role"}  # export name → name in the report's node_metrics
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"


def snapshot_export_rows(snapshot: Snapshot) -> tuple[list[dict[str, Any]], list[list[Any]]]:
    """(nodes with every attribute, edges [source, target, weight]) of a DONE snapshot.

    One query, for the members' names and emails."""
    nodes = snapshot.graph.get("nodes", [])
    ids = [node["id"] for node in nodes]
    people = {
        pk: (name, email)
        for pk, name, email in Person.objects.filter(pk__in=ids).values_list("pk", "name", "email")
    }
    metrics = snapshot.report.get("node_metrics", {})
    rows = []
    for node in nodes:
        values = metrics.get(str(node["id"]), metrics.get(node["id"], {}))
        name, email = people.get(node["id"], ("", ""))
        row: dict[str, Any] = {"id": node["id"], "label": name, "email": email}
        for name in ("organization", "org_kind", "country", "role", "tier"):
            row[name] = node.get(name, "") or ""
        for name, _kind in NODE_ATTRIBUTES[7:]:
            row[name] = values.get(METRIC_NAMES.get(name, name))
        rows.append(row)
    return rows, list(snapshot.graph.get("edges", []))


def _text(value: Any, kind: str) -> str:
    if kind == "double":
        return repr(float(value))
    if kind == "int":
        return str(int(value))
    return str(value)


def _graphml(nodes: list[dict[str, Any]], edges: list[list[Any]], name: str) -> bytes:
    ElementTree.register_namespace("", GRAPHML_NS)
    root = ElementTree.Element(f"{{{GRAPHML_NS}}}graphml")
    for index, (attribute, kind) in enumerate(NODE_ATTRIBUTES):
        ElementTree.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {
                "id": f"d{index}",
                "for": "node",
                "attr.name": attribute,
                "attr.type": kind,
            },
        )
    ElementTree.SubElement(
        root,
        f"{{{GRAPHML_NS}}}key",
        {
            "id": "weight",
            "for": "edge",
            "attr.name": "weight",
            "attr.type": "double",
        },
    )
    graph = ElementTree.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": name, "edgedefault": "undirected"}
    )
    for node in nodes:
        element = ElementTree.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": str(node["id"])})
        for index, (attribute, kind) in enumerate(NODE_ATTRIBUTES):
            value = node.get(attribute)
            if value is None or value == "":
                continue
            data = ElementTree.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": f"d{index}"})
            data.text = _text(value, kind)
    for number, (source, target, weight) in enumerate(edges):
        element = ElementTree.SubElement(
            graph,
            f"{{{GRAPHML_NS}}}edge",
            {
                "id": f"e{number}",
                "source": str(source),
                "target": str(target),
            },
        )
        data = ElementTree.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": "weight"})
        data.text = repr(float(weight))
    return _xml(root)


def _gexf(nodes: list[dict[str, Any]], edges: list[list[Any]], name: str) -> bytes:
    ElementTree.register_namespace("", GEXF_NS)
    kinds = {"string": "string", "int": "integer", "double": "double"}
    root = ElementTree.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.2"})
    meta = ElementTree.SubElement(root, f"{{{GEXF_NS}}}meta")
    ElementTree.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "NetWeave"
    ElementTree.SubElement(meta, f"{{{GEXF_NS}}}description").text = name
    graph = ElementTree.SubElement(
        root, f"{{{GEXF_NS}}}graph", {"defaultedgetype": "undirected", "mode": "static"}
    )
    declared = ElementTree.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for index, (attribute, kind) in enumerate(NODE_ATTRIBUTES[1:], start=1):
        ElementTree.SubElement(
            declared,
            f"{{{GEXF_NS}}}attribute",
            {
                "id": str(index),
                "title": attribute,
                "type": kinds[kind],
            },
        )
    node_list = ElementTree.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for node in nodes:
        element = ElementTree.SubElement(
            node_list,
            f"{{{GEXF_NS}}}node",
            {
                "id": str(node["id"]),
                "label": str(node.get("label") or node["id"]),
            },
        )
        values = ElementTree.SubElement(element, f"{{{GEXF_NS}}}attvalues")
        for index, (attribute, kind) in enumerate(NODE_ATTRIBUTES[1:], start=1):
            value = node.get(attribute)
            if value is None or value == "":
                continue
            ElementTree.SubElement(
                values,
                f"{{{GEXF_NS}}}attvalue",
                {
                    "for": str(index),
                    "value": _text(value, kind),
                },
            )
    edge_list = ElementTree.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for number, (source, target, weight) in enumerate(edges):
        ElementTree.SubElement(
            edge_list,
            f"{{{GEXF_NS}}}edge",
            {
                "id": str(number),
                "source": str(source),
                "target": str(target),
                "weight": repr(float(weight)),
            },
        )
    return _xml(root)


def _xml(root: ElementTree.Element) -> bytes:
    ElementTree.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def _csv(rows: Iterator[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8")


def _nodes_csv(nodes: list[dict[str, Any]]) -> bytes:
    names = ["id", *(name for name, _kind in NODE_ATTRIBUTES)]
    return _csv(iter([names, *([node.get(name) for name in names] for node in nodes)]))


def _edges_csv(edges: list[list[Any]]) -> bytes:
    return _csv(iter([["source", "target", "weight"], *edges]))


def export_snapshot(snapshot: Snapshot, file_format: str) -> bytes:
    """The snapshot in `file_format` (a key of EXPORT_FORMATS)."""
    if file_format not in EXPORT_FORMATS:
        raise ValueError(f"file_format must be one of {sorted(EXPORT_FORMATS)}")
    nodes, edges = snapshot_export_rows(snapshot)
    name = f"{snapshot.network.slug}-{snapshot.taken_at:%Y-%m-%d}"
    if file_format == "graphml":
        return _graphml(nodes, edges, name)
    if file_format == "gexf":
        return _gexf(nodes, edges, name)
    if file_format == "nodes.csv":
        return _nodes_csv(nodes)
    if file_format == "edges.csv":
        return _edges_csv(edges)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/nodes.csv", _nodes_csv(nodes))
        archive.writestr(f"{name}/edges.csv", _edges_csv(edges))
    return buffer.getvalue()
