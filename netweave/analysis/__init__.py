"""NetWeave's network analysis: framework-free figures, structure stage and comparison.

Shaped like NetworkX -- one module per family of measures, plain inputs, plain Python results --
and built on python-igraph, NumPy and SciPy. Nothing here imports Django.

Modules: :mod:`~netweave.analysis.graph` (the network), :mod:`~netweave.analysis.readers` (CSV,
GraphML, GEXF), :mod:`~netweave.analysis.figures` (whole-network figures),
:mod:`~netweave.analysis.centrality`, :mod:`~netweave.analysis.paths` (shortest-path figures, exact
or estimated), :mod:`~netweave.analysis.communities`, :mod:`~netweave.analysis.coreperiphery`,
:mod:`~netweave.analysis.fragility` (single points of failure, brokers),
:mod:`~netweave.analysis.roles`, :mod:`~netweave.analysis.stage` (structure stage),
:mod:`~netweave.analysis.compare` (two snapshots), :mod:`~netweave.analysis.recommend`
(introductions to recommend), :mod:`~netweave.analysis.report` (everything
at once) and :mod:`~netweave.analysis.cli` (``netweave analyze``).
"""

from netweave.analysis.centrality import (
    betweenness,
    closeness,
    coreness,
    degree,
    in_degree,
    out_degree,
    pagerank,
)
from netweave.analysis.communities import detect_communities, modularity
from netweave.analysis.compare import compare_snapshots
from netweave.analysis.coreperiphery import core_periphery
from netweave.analysis.exceptions import AnalysisError, GraphFormatError, NodeNotFound
from netweave.analysis.figures import (
    average_clustering,
    average_degree,
    components,
    connectedness,
    degree_assortativity,
    degree_centralization,
    density,
    isolates,
    network_figures,
    reciprocity,
    transitivity,
)
from netweave.analysis.fragility import brokers, single_points_of_failure
from netweave.analysis.graph import Graph
from netweave.analysis.paths import average_path_length, diameter
from netweave.analysis.readers import (
    read_edge_csv,
    read_gexf,
    read_graph,
    read_graphml,
    read_nodes_csv,
    sniff_format,
)
from netweave.analysis.recommend import Recommendation, evaluate_recommendations, recommend
from netweave.analysis.report import network_report, render_text
from netweave.analysis.roles import roles
from netweave.analysis.stage import stage_of

__all__ = [
    "AnalysisError",
    "Graph",
    "GraphFormatError",
    "NodeNotFound",
    "Recommendation",
    "average_clustering",
    "average_degree",
    "average_path_length",
    "betweenness",
    "brokers",
    "closeness",
    "compare_snapshots",
    "components",
    "connectedness",
    "core_periphery",
    "coreness",
    "degree",
    "degree_assortativity",
    "degree_centralization",
    "density",
    "detect_communities",
    "diameter",
    "evaluate_recommendations",
    "in_degree",
    "isolates",
    "modularity",
    "network_figures",
    "network_report",
    "out_degree",
    "pagerank",
    "read_edge_csv",
    "read_gexf",
    "read_graph",
    "read_graphml",
    "read_nodes_csv",
    "reciprocity",
    "recommend",
    "render_text",
    "roles",
    "single_points_of_failure",
    "sniff_format",
    "stage_of",
    "transitivity",
]
