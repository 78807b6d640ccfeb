"""The one exception hierarchy of the analysis library.

Everything the library raises on purpose is an :class:`AnalysisError`, so a caller (the CLI, a
view, a background task) can catch one class and show its message: every message says what is
wrong and, where it can, what to fix.
"""

from __future__ import annotations

__all__ = ["AnalysisError", "GraphFormatError", "NodeNotFound"]


class AnalysisError(Exception):
    """Base class of every error the analysis library raises on purpose.

    Also raised for arguments that make no sense (a negative sample budget, an unknown option).

    Examples
    --------
    >>> from netweave.analysis import AnalysisError, GraphFormatError
    >>> issubclass(GraphFormatError, AnalysisError)
    True
    """


class GraphFormatError(AnalysisError):
    """A file or a piece of plain data cannot be read as a network.

    The message names the file, and the row, element or value at fault.

    Examples
    --------
    >>> from netweave.analysis import Graph, GraphFormatError
    >>> try:
    ...     Graph.from_edges([("a",)])
    ... except GraphFormatError as error:
    ...     print(error)
    tie 1 has 1 value; a tie is (source, target) or (source, target, weight)
    """


class NodeNotFound(AnalysisError, KeyError):
    """A node id that is not in the network.

    Examples
    --------
    >>> from netweave.analysis import Graph, NodeNotFound
    >>> graph = Graph.from_edges([("a", "b")])
    >>> try:
    ...     graph.index("z")
    ... except NodeNotFound as error:
    ...     print(error.args[0])
    node 'z' is not in the network
    """
