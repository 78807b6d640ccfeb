"""``netweave analyze FILE [--nodes NODES.csv] [--directed] [--json]``: the network report.

Reads a CSV edge list (``source,target[,weight]`` with a header row), a GraphML or a GEXF file and
prints the report of :func:`netweave.analysis.report.network_report`: as one JSON object with
``--json``, as text for people otherwise. A progress bar goes to stderr while the analysis runs
(when stderr is a terminal). Exit codes: 0 done, 2 a file that cannot be read as a network or a
wrong option (the message on stderr says what to fix), 1 anything else.

It runs without Django: ``netweave analyze`` hands over to :func:`main` before Django starts, and
``python -m netweave.analysis FILE ...`` works too.

``netweave recommend FILE [--nodes NODES.csv] [--top K] [--json] [--semantic]``
(:func:`recommend_main`) prints recommended introductions with their reasons, with the same exit
codes; ``--semantic`` compares profiles by sentence embeddings (the optional extra
``netweave[semantic]``; without it the command says how to install it and exits with 1).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import IO, Any

from netweave.analysis.exceptions import AnalysisError, GraphFormatError

__all__ = ["build_parser", "build_recommend_parser", "main", "recommend_main"]

PROG = "netweave analyze"


def build_parser() -> argparse.ArgumentParser:
    """The command's options."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Analyse a network: whole-network figures, centrality of every member, communities, "
            "core and periphery, single points of failure and the structure stage."
        ),
    )
    _network_arguments(
        parser,
        nodes_help="a CSV node list (an id column, or the first column, then attributes such as "
        "name)",
    )
    parser.add_argument(
        "--directed",
        action="store_true",
        help="read ties as going from source to target (CSV files are undirected otherwise; "
        "GraphML and GEXF files say it themselves)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for communities and pivots (default 0)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes for the path searches (default: the CPUs available, at most 2)",
    )
    return parser


def _network_arguments(parser: argparse.ArgumentParser, *, nodes_help: str) -> None:
    """The network file and its node list, the same for both commands."""
    parser.add_argument(
        "file",
        metavar="FILE",
        help="a CSV edge list (header: source,target[,weight]), a GraphML or a GEXF file",
    )
    parser.add_argument("--nodes", metavar="NODES.csv", help=nodes_help)


def _parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace | int:
    """The options, or the exit code when argparse has already printed the usage and the error."""
    try:
        return parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit_:
        return int(exit_.code or 0)


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run ``netweave analyze``; returns the exit code.

    Examples
    --------
    >>> import io, os, tempfile
    >>> from netweave.analysis.cli import main
    >>> path = os.path.join(tempfile.mkdtemp(), "ties.csv")
    >>> _ = open(path, "w").write("source,target\\nana,ben\\nben,cleo\\n")
    >>> out = io.StringIO()
    >>> main([path, "--json"], stdout=out)
    0
    >>> import json
    >>> json.loads(out.getvalue())["node_metrics"]["ben"]["betweenness"]
    1.0
    >>> err = io.StringIO()
    >>> main([os.path.join(tempfile.mkdtemp(), "missing.csv")], stderr=err)
    2
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args = _parse(build_parser(), argv)
    if isinstance(args, int):
        return args
    if args.workers is not None and args.workers < 1:
        print(f"{PROG}: error: --workers must be at least 1", file=err)
        return 2

    from netweave.analysis.readers import read_graph
    from netweave.analysis.report import REPORT_STEPS, network_report, render_text

    bar = _progress_bar(err, total=len(REPORT_STEPS) + 1)
    try:
        bar.set_description("reading")
        try:
            graph = read_graph(
                args.file, directed=True if args.directed else None, nodes=args.nodes
            )
        except GraphFormatError as error:
            bar.close()
            print(f"{PROG}: error: {error}", file=err)
            return 2
        bar.update(1)

        def progress(step: str) -> None:
            if bar.n < len(REPORT_STEPS):
                bar.set_description(step)
                bar.update(1)

        report = network_report(graph, seed=args.seed, workers=args.workers, progress=progress)
        bar.update(bar.total - bar.n)
    except AnalysisError as error:
        print(f"{PROG}: error: {error}", file=err)
        return 1
    finally:
        bar.close()
    for warning in graph.warnings:
        print(f"{PROG}: note: {warning}", file=err)
    if args.json:
        out.write(_json(report))
        out.write("\n")
    else:
        labels = {node: graph.label(node) for node in graph.nodes if graph.label(node) != node}
        out.write(render_text(report, labels=labels))
    return 0


def _json(report: dict[str, Any]) -> str:
    try:
        return json.dumps(report, ensure_ascii=False, allow_nan=False, default=str)
    except ValueError:  # a NaN or infinity slipped through: JSON has null for that
        return json.dumps(_finite(report), ensure_ascii=False, allow_nan=False, default=str)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _progress_bar(stream: IO[str], *, total: int) -> Any:
    from tqdm import tqdm

    # disable=None: shown only when the stream is a terminal, so pipes and logs stay clean.
    return tqdm(total=total, file=stream, disable=None, leave=False, unit="step")


RECOMMEND_PROG = "netweave recommend"


def build_recommend_parser() -> argparse.ArgumentParser:
    """``netweave recommend FILE [--nodes NODES.csv] [--top K] [--json] [--semantic]``: its
    options."""
    parser = argparse.ArgumentParser(
        prog=RECOMMEND_PROG,
        description=(
            "Recommend introductions: for every member, the people they should meet and why "
            "(shared contacts, similar work, what one offers and the other looks for, bridges "
            "between clusters)."
        ),
    )
    _network_arguments(
        parser,
        nodes_help="a CSV node list: an id column, then attributes such as expertise, interests, "
        "bio, organization, sector, country, offers, seeks",
    )
    parser.add_argument(
        "--top", type=int, default=10, metavar="K", help="at most K per member (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--seed", type=int, default=0, help="seed for communities (default 0)")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="compare profiles by meaning (sentence embeddings) rather than shared words; "
        'needs pip install "netweave[semantic]" and downloads nothing',
    )
    return parser


def recommend_main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run ``netweave recommend``; returns the exit code (0 done, 2 bad file or option, 1 other).

    Examples
    --------
    >>> import io, json, os, tempfile
    >>> from netweave.analysis.cli import recommend_main
    >>> path = os.path.join(tempfile.mkdtemp(), "ties.csv")
    >>> _ = open(path, "w").write("source,target\\nana,ben\\nben,cleo\\n")
    >>> out = io.StringIO()
    >>> recommend_main([path, "--json", "--top", "1"], stdout=out)
    0
    >>> json.loads(out.getvalue())["recommendations"][0]["target"]
    'cleo'
    """
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args = _parse(build_recommend_parser(), argv)
    if isinstance(args, int):
        return args
    if args.top < 1:
        print(f"{RECOMMEND_PROG}: error: --top must be at least 1", file=err)
        return 2

    from netweave.analysis.readers import read_graph
    from netweave.analysis.recommend import recommend

    try:
        graph = read_graph(args.file, nodes=args.nodes)
    except GraphFormatError as error:
        print(f"{RECOMMEND_PROG}: error: {error}", file=err)
        return 2
    try:
        made = recommend(graph, top=args.top, seed=args.seed, semantic=args.semantic)
    except AnalysisError as error:
        print(f"{RECOMMEND_PROG}: error: {error}", file=err)
        return 1
    for warning in graph.warnings:
        print(f"{RECOMMEND_PROG}: note: {warning}", file=err)
    if args.json:
        items = [item.to_dict() for node in graph.nodes for item in made.get(node, [])]
        out.write(_json({"recommendations": items}))
        out.write("\n")
        return 0
    if not made:
        out.write("No introductions to recommend.\n")
    for node in graph.nodes:
        found = made.get(node)
        if not found:
            continue
        out.write(f"{graph.label(node)} could meet:\n")
        for rank, item in enumerate(found, start=1):
            out.write(f"  {rank}. {graph.label(item.target)} (score {item.score:.2f})\n")
            for reason in item.reasons:
                out.write(f"     - {reason}\n")
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
