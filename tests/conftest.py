"""Shared test configuration.

- pytester, for testing the pytest plugin itself.
- tests/support's fixtures, each started only when a test asks for it: ``postgres_url`` (a
  throwaway PostgreSQL server, one for the whole run) and ``browser`` (headless Chromium).
- Opt-in markers: the soak variants (``slow``: tests/fuzz, tests/reliability) and the container
  test (``container``: tests/container, run by ``.ci/run`` in its own step with a docker engine)
  run only when the ``-m`` expression names them (``python -m pytest -m slow``). Every other run
  deselects them (reported as deselected, not as skips), so the whole suite, and CI, stays
  within its time and has nothing to skip.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester", "tests.support.postgres", "tests.support.browser"]

#: Markers whose tests are deselected unless the ``-m`` expression names them.
OPT_IN_MARKERS = ("slow", "container")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    markexpr = config.option.markexpr or ""
    # A marker the -m expression names is left to it (it runs or deselects them as it says).
    opted_out = [marker for marker in OPT_IN_MARKERS if marker not in markexpr]
    if not opted_out:
        return
    kept: list[pytest.Item] = []
    deselected: list[pytest.Item] = []
    for item in items:
        if any(item.get_closest_marker(marker) is not None for marker in opted_out):
            deselected.append(item)
        else:
            kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
