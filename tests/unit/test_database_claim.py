"""One emulator process per database file: ids are counted by the process that writes them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from emulator.settings import Settings
from emulator.store.engine import DatabaseInUse
from emulator.systems import System


def test_a_second_emulator_on_the_same_file_is_refused_with_a_clear_message(
    tmp_path: Path,
) -> None:
    path = str(tmp_path / "crm.db")
    first = System(Settings(database=path))
    with pytest.raises(DatabaseInUse, match="in use by another emulator process"):
        System(Settings(database=path))
    first.close()
    again = System(Settings(database=path))  # free once the first has closed
    assert again.store.counts()["contact"] == 11
    again.close()


def test_the_seed_command_refuses_a_file_a_server_holds(tmp_path: Path) -> None:
    path = str(tmp_path / "crm.db")
    holder = System(Settings(database=path))
    try:
        done = subprocess.run(
            [sys.executable, "-m", "emulator", "seed", "--database", path, "--records", "1"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        holder.close()
    assert done.returncode == 2
    assert "in use by another emulator process" in done.stderr


def test_in_memory_databases_are_never_claimed() -> None:
    first, second = System(Settings()), System(Settings())
    assert first.store.claim is None
    assert second.store.claim is None
    first.close()
    second.close()
