"""The throwaway PostgreSQL server: reachable at its URL on 127.0.0.1, and a real database."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.support import postgres


def test_psycopg_creates_inserts_and_selects_back(postgres_url: str) -> None:
    url = make_url(postgres_url)
    assert url.drivername == "postgresql+psycopg"
    assert url.host == "127.0.0.1"
    table = f"smoke_{uuid.uuid4().hex[:12]}"  # the database is shared by the whole run
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        conn.execute(f"CREATE TABLE {table} (id serial PRIMARY KEY, name text NOT NULL)")
        conn.execute(f"INSERT INTO {table} (name) VALUES (%s), (%s)", ("Ada", "Grace"))
        rows = conn.execute(f"SELECT id, name FROM {table} ORDER BY id").fetchall()
        assert rows == [(1, "Ada"), (2, "Grace")]
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        conn.execute(f"DROP TABLE {table}")


def test_the_url_works_with_sqlalchemy(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT current_database()")).scalar() == "opencrm_test"
            assert conn.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_a_fresh_database_is_empty_and_dropped_afterwards(postgres_url: str) -> None:
    with postgres.fresh_database(postgres_url) as url:
        assert make_url(url).database != make_url(postgres_url).database
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                name = conn.execute(sa.text("SELECT current_database()")).scalar()
                tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                assert conn.execute(sa.text(tables)).scalar() == 0
        finally:
            engine.dispose()
    conninfo = make_url(postgres_url).set(drivername="postgresql").render_as_string()
    with psycopg.connect(conninfo) as conn:
        found = conn.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,))
        assert found.fetchone() == (0,)


def test_the_fresh_database_fixture(fresh_postgres_url: str, postgres_url: str) -> None:
    assert make_url(fresh_postgres_url).database.startswith("t_")  # type: ignore[union-attr]
    assert make_url(fresh_postgres_url).port == make_url(postgres_url).port


def test_missing_binaries_say_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(postgres, "find_bindir", lambda: None)
    with pytest.raises(postgres.PostgresUnavailable, match="apt-get install postgresql"):
        postgres.shared_server(tmp_path / "shared")
    assert not (tmp_path / "shared" / "postgres.json").exists()
