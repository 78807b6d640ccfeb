"""The library as a library: no Django, every docstring example runs, one exception family."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import subprocess
import sys

import pytest

import netweave.analysis
from netweave.analysis import AnalysisError, GraphFormatError, NodeNotFound
from netweave.analysis.tests.conftest import ROOT

MODULES = sorted(
    info.name
    for info in pkgutil.iter_modules(netweave.analysis.__path__, "netweave.analysis.")
    if not info.name.endswith((".tests", ".__main__"))
)


def test_the_library_imports_without_django():
    code = (
        "import sys, importlib\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_module_has_examples_and_a_public_list():
    examples = 0
    for name in MODULES:
        module = importlib.import_module(name)
        if name.endswith((".exceptions", ".cli")) or hasattr(module, "__all__"):
            assert hasattr(module, "__all__"), name
        examples += doctest.testmod(module, optionflags=doctest.ELLIPSIS).attempted
    assert examples >= 60


def test_every_public_function_has_a_numpy_style_docstring():
    for name in netweave.analysis.__all__:
        item = getattr(netweave.analysis, name)
        assert item.__doc__, name
        if callable(item) and not isinstance(item, type):
            assert "Examples\n" in item.__doc__, name


def test_errors_share_one_family():
    assert issubclass(GraphFormatError, AnalysisError)
    assert issubclass(NodeNotFound, AnalysisError)
    assert issubclass(NodeNotFound, KeyError)
