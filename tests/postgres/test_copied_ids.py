"""A schema filled from a SQLite image goes on giving ids as that SQLite database would: the
next product line after the highest line id the image had ever given (its sqlite_sequence),
not merely after the highest it still holds."""

from __future__ import annotations

from emulator.domain.clock import Clock
from emulator.settings import Settings
from emulator.store import Store
from emulator.systems.blueprint import Blueprint

NEXT_LINE = "INSERT INTO product_lines (crmid) VALUES (420) RETURNING lineid"


def blueprint() -> Blueprint:
    settings = Settings()
    return Blueprint(settings.fixtures, settings.cache_dir)


def test_a_schema_copied_from_a_sqlite_image_never_gives_an_id_the_image_had_given(
    fresh_postgres_url: str,
) -> None:
    plan = blueprint()
    sqlite = Store("sqlite://", plan.shape("sqlite"), Clock(), image=plan.image)
    highest = sqlite.db.raw.execute("SELECT max(lineid) FROM product_lines").fetchone()[0]
    sqlite.db.raw.execute("DELETE FROM product_lines WHERE lineid = ?", (highest,))
    image = sqlite.image()
    postgres = Store(fresh_postgres_url, plan.shape("postgresql"), Clock(), image=lambda: image)
    try:
        assert sqlite.db.raw.execute(NEXT_LINE).fetchone()[0] == highest + 1
        assert postgres.db.raw.execute(NEXT_LINE).fetchone()[0] == highest + 1
    finally:
        sqlite.close()
        postgres.close()
