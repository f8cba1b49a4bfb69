"""The start-up cache of the database image after loading the fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

from emulator.backend.fixtures import default_folder
from emulator.control import image_cache
from emulator.settings import Settings
from emulator.systems import System


def copy_fixtures(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_folder(), tmp_path / "fixtures"))


def test_the_key_changes_when_a_fixture_file_changes(tmp_path: Path) -> None:
    folder = copy_fixtures(tmp_path)
    before = image_cache.key(folder)
    users = folder / "users.json"
    users.write_text(users.read_text(encoding="utf-8").replace("admin", "root"), encoding="utf-8")
    assert image_cache.key(folder) != before


def test_a_second_start_loads_the_cached_image_with_the_same_records(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = System(Settings(cache_dir=str(cache)))
    assert len(list(cache.glob("fixtures-*.sqlite"))) == 1
    second = System(Settings(cache_dir=str(cache)))
    assert second.store.counts() == first.store.counts()
    assert second.store.get_record("quote", 420) == first.store.get_record("quote", 420)
    assert second.store.counters.next_crmid == first.store.counters.next_crmid
    first.close()
    second.close()


def test_a_cached_image_is_what_the_fixtures_would_load(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    System(Settings(cache_dir=str(cache))).close()
    cached = System(Settings(cache_dir=str(cache)))
    fresh = System(Settings(cache_dir="off"))
    for noun, crmid in (("contact", 150), ("quote", 420), ("invoice", 460)):
        assert cached.store.get_record(noun, crmid) == fresh.store.get_record(noun, crmid)
    assert cached.store.product_lines(421) == fresh.store.product_lines(421)
    cached.close()
    fresh.close()


def test_off_means_no_cache_and_an_unwritable_folder_is_skipped(tmp_path: Path) -> None:
    assert image_cache.folder("off") is None
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    backend = System(Settings(cache_dir=str(blocked / "cache")))
    assert backend.store.counts()["contact"] == 11
    backend.close()
