"""A local emulator of the OpenCRM REST API.

The public surface is :func:`create_app` (the ASGI app) and :class:`Settings`; everything
else is private to the package and may change between versions. ``create_app`` is loaded on
first use, so importing the package (as the pytest plugin does in every test run) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from emulator._version import __version__
from emulator.settings import Settings

if TYPE_CHECKING:
    from emulator.serving.app import create_app

__all__ = ["Settings", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from emulator.serving.app import create_app

        return create_app
    raise AttributeError(f"module 'emulator' has no attribute {name!r}")
