"""The Examples in docstrings are documentation that must stay true."""

import doctest
import importlib

import pytest

MODULES = [
    "netweave.lib.search",
    "netweave.lib.markdown",
    "netweave.people.services",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_the_module_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
