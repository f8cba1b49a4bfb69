"""What serving on the default database loads: nothing that only PostgreSQL needs."""

from __future__ import annotations

import subprocess
import sys

BUILD = """
import sys
from emulator.serving.app import create_app
from emulator.settings import Settings
create_app(Settings(port=0))
print(sorted(m for m in sys.modules if "postgres" in m or m.startswith("psycopg")))
"""


def test_an_app_on_sqlite_loads_no_postgresql_dialect_driver_or_store() -> None:
    found = subprocess.run(
        [sys.executable, "-c", BUILD], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert "sqlalchemy.dialects.postgresql" not in found
    assert "psycopg" not in found
    assert "emulator.store.postgres'" not in found
    assert "emulator.store.postgres_snapshots" not in found
