"""A pytest plugin for testing OpenCRM clients against the emulator.

Installed with the package (entry point ``pytest11``), it provides the fixture ``opencrm``:
an in-process emulator with a ready client, reset to its fixtures before each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from emulator.app import create_app
from emulator.backend import Backend
from emulator.settings import Settings


class OpenCRM:
    """An emulated OpenCRM system and a client to call it."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.app = create_app(backend=backend)
        self.client = TestClient(self.app, base_url="http://127.0.0.1")
        self.key = backend.settings.key
        self.passkey = backend.settings.passkey
        self.base_url = "http://127.0.0.1/api/rest/"

    def call(self, end_point: str, **params: Any) -> Any:
        """POST form fields with the demo key pair, as real clients do; the decoded answer."""
        data = {"key": self.key, "passkey": self.passkey, **params}
        response = self.client.post(f"/api/rest/{end_point}", data=data)
        return response.json()

    def reset(self) -> None:
        self.backend.reset()


@pytest.fixture(scope="session")
def opencrm_session() -> Iterator[OpenCRM]:
    crm = OpenCRM(Backend(Settings()))
    yield crm
    crm.backend.close()


@pytest.fixture
def opencrm(opencrm_session: OpenCRM) -> OpenCRM:
    """The emulator, reset to its fixtures: every test starts from the same data."""
    opencrm_session.reset()
    return opencrm_session
