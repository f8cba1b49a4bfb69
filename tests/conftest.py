"""Shared test configuration.

- pytester, for testing the pytest plugin itself.
- The soak variants (marker ``slow``: tests/fuzz, tests/reliability) run only when the ``-m``
  expression names them (``python -m pytest -m slow``); every other run skips them, so the
  whole suite, and CI, stays within its time.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "slow" in (config.option.markexpr or ""):
        return  # the -m expression names them: run (or deselect) them as it says
    skip = pytest.mark.skip(reason="a soak variant: run with -m slow")
    for item in items:
        if item.get_closest_marker("slow") is not None:
            item.add_marker(skip)
