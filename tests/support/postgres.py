"""A throwaway PostgreSQL server for tests, from Debian's packages (``apt-get install postgresql``).

- ``postgres_url`` (session fixture): a SQLAlchemy URL
  ``postgresql+psycopg://opencrm@127.0.0.1:PORT/opencrm_test``. The server starts when the first
  test asks for it, and one server serves the whole run: under pytest-xdist the first worker
  that needs it starts it (under a lock file) and writes its address to a state file; the other
  workers read that. The process that owns the run (the xdist controller, or the only process
  without xdist) stops it and removes everything at ``pytest_sessionfinish``, once every worker
  is done, whatever the outcome. Tests share that database: give tables unique names, or
  clean up after yourself.
- ``fresh_postgres_url`` (function fixture): a new empty database on that server for one test,
  dropped afterwards.
- ``postgres_server()`` (context manager): a server of its own for scripts and benchmarks,
  stopped and removed on exit. Raises :class:`PostgresUnavailable` when it cannot be started.

The server runs from ``initdb`` / ``pg_ctl`` found in ``/usr/lib/postgresql/<version>/bin``
(newest first), else on PATH. As root (CI runs as root; initdb refuses root) it runs as the
``postgres`` user Debian's package creates, through ``runuser``. It listens on 127.0.0.1 only,
on a free port, with its unix socket in its own temp folder, trust authentication, and with
durability off (``fsync``, ``synchronous_commit``, ``full_page_writes``): a crash of the machine
loses it, nothing else does. Missing binaries: the test skips locally, fails in CI
(:func:`tests.support.components.unavailable`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest

from tests.support.components import unavailable

__all__ = [
    "PostgresServer",
    "PostgresUnavailable",
    "find_bindir",
    "fresh_database",
    "fresh_postgres_url",
    "postgres_server",
    "postgres_url",
    "start_server",
]

SUPERUSER = "opencrm"
DATABASE = "opencrm_test"
#: Set by the process that owns the run, inherited by its xdist workers: where the shared
#: server's lock and state files live.
SHARED_DIR_ENV = "OPENCRM_TEST_POSTGRES_SHARED"
_OWNER = pytest.StashKey[Path]()
_START_TIMEOUT = 60  # seconds pg_ctl waits for the server to accept connections
_SETTINGS = """
# opencrm-emulator tests: a throwaway server on loopback
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
fsync = off
synchronous_commit = off
full_page_writes = off
"""


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here: its binaries (or a user to run them as) are missing."""


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server: everything it has lives under ``root``."""

    root: str
    bindir: str
    port: int
    run_as: tuple[str, ...] = ()
    database: str = DATABASE
    user: str = SUPERUSER

    @property
    def url(self) -> str:
        """The SQLAlchemy URL (psycopg 3 driver) of the test database."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{self.database}"

    @property
    def data(self) -> Path:
        return Path(self.root) / "data"

    def pid(self) -> int | None:
        """The postmaster's process id, if it is running."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return pid

    def stop(self) -> None:
        """Stop the server (fast shutdown, then SIGKILL if it lingers) and remove its folder."""
        try:
            if self.pid() is not None:
                pg_ctl = str(Path(self.bindir) / "pg_ctl")
                command = [*self.run_as, pg_ctl, "-D", str(self.data), "-m", "fast", "-w"]
                with contextlib.suppress(subprocess.TimeoutExpired):
                    subprocess.run(
                        [*command, "-t", "30", "stop"],
                        cwd=self.root,
                        capture_output=True,
                        timeout=45,
                        check=False,
                    )
                pid = self.pid()
                if pid is not None:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _version(bindir: Path) -> tuple[int, ...]:
    digits = bindir.parent.name.split(".")
    return tuple(int(part) for part in digits) if all(p.isdigit() for p in digits) else (0,)


def find_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: Debian's newest version, else PATH's."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    on_path = shutil.which("initdb")
    candidates = [*debian, *([Path(on_path).resolve().parent] if on_path else [])]
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in ("initdb", "pg_ctl", "createdb")):
            return bindir
    return None


def _run_as() -> tuple[tuple[str, ...], int | None, int | None]:
    """The command prefix that runs the server unprivileged, and that user's uid and gid."""
    if os.geteuid() != 0:
        return (), None, None
    try:
        entry = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(
            "running as root, and there is no 'postgres' user to run the server as "
            "(initdb refuses root; Debian's postgresql package creates that user)"
        ) from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root, and runuser (util-linux) is not on PATH")
    return (runuser, "-u", "postgres", "--"), entry.pw_uid, entry.pw_gid


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _check(command: list[str], cwd: str, timeout: float) -> None:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()[-2000:]
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {output}")


def start_server(database: str = DATABASE) -> PostgresServer:
    """Start a new throwaway server with an empty ``database``; the caller must ``stop()`` it."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            "no initdb/pg_ctl in /usr/lib/postgresql/*/bin nor on PATH "
            "(Debian: apt-get install postgresql)"
        )
    run_as, uid, gid = _run_as()
    root = tempfile.mkdtemp(prefix="opencrm-pg-")  # short: the socket path must fit 107 bytes
    server = PostgresServer(root=root, bindir=str(bindir), port=0, run_as=run_as)
    try:
        if uid is not None and gid is not None:
            os.chown(root, uid, gid)
        data = str(server.data)
        _check(
            [*run_as, str(bindir / "initdb"), "-D", data, "-U", SUPERUSER, "-A", "trust",
             "-E", "UTF8", "--no-locale", "--no-sync"],
            cwd=root, timeout=120,
        )  # fmt: skip
        with (server.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(_SETTINGS.format(sockets=root))
        log = Path(root) / "server.log"
        for _attempt in range(3):  # a free port may be taken before the server binds it
            server = PostgresServer(root=root, bindir=str(bindir), port=_free_port(), run_as=run_as)
            log.unlink(missing_ok=True)  # so the reason read below is this attempt's
            started = subprocess.run(
                [*run_as, str(bindir / "pg_ctl"), "-D", data, "-l", str(log), "-w",
                 "-t", str(_START_TIMEOUT), "-o", f"-p {server.port}", "start"],
                cwd=root, capture_output=True, text=True, timeout=_START_TIMEOUT + 30, check=False,
            )  # fmt: skip
            if started.returncode == 0:
                break
            reason = log.read_text(errors="replace") if log.exists() else ""
            if "already in use" not in reason:
                output = (started.stdout + started.stderr + reason).strip()[-2000:]
                raise RuntimeError(f"PostgreSQL did not start: {output}")
        else:
            raise RuntimeError("PostgreSQL did not start: 3 free ports were taken in a row")
        _check(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(server.port),
             "-U", SUPERUSER, database],
            cwd=root, timeout=60,
        )  # fmt: skip
        return PostgresServer(
            root=root, bindir=str(bindir), port=server.port, run_as=run_as, database=database
        )
    except BaseException:
        server.stop()
        raise


@contextlib.contextmanager
def postgres_server(database: str = DATABASE) -> Iterator[PostgresServer]:
    """A throwaway server of its own (``.url`` for SQLAlchemy), stopped and removed on exit."""
    server = start_server(database)
    try:
        yield server
    finally:
        server.stop()


# -- one server for the whole run, shared by xdist workers ------------------------------------


@contextlib.contextmanager
def _locked(shared: Path) -> Iterator[Path]:
    shared.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (shared / "postgres.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the holder exits, even by a crash
        try:
            yield shared / "postgres.json"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _load(state: Path) -> PostgresServer | None:
    try:
        fields = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return PostgresServer(**{**fields, "run_as": tuple(fields["run_as"])})


def shared_server(shared: Path) -> PostgresServer:
    """The run's server: started by the first caller, found in the state file by the others."""
    with _locked(shared) as state:
        server = _load(state)
        if server is not None and server.pid() is not None:
            return server
        if server is not None:  # a server that died: clear what it left
            server.stop()
        server = start_server()
        written = state.with_suffix(".tmp")
        written.write_text(json.dumps(asdict(server)), encoding="utf-8")
        written.replace(state)
        return server


def stop_shared(shared: Path) -> None:
    """Stop the run's server if one was started, and remove the shared folder."""
    if not shared.exists():
        return
    with _locked(shared) as state:
        server = _load(state)
        if server is not None:
            server.stop()
    shutil.rmtree(shared, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") and os.environ.get(SHARED_DIR_ENV):
        return  # an xdist worker: the controller owns the shared server
    shared = Path(tempfile.gettempdir()) / f"opencrm-tests-{uuid.uuid4().hex[:12]}"
    os.environ[SHARED_DIR_ENV] = str(shared)  # inherited by the xdist workers started later
    config.stash[_OWNER] = shared


def pytest_sessionfinish(session: pytest.Session) -> None:
    shared = session.config.stash.get(_OWNER, None)
    if shared is not None:
        stop_shared(shared)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The SQLAlchemy URL of the run's throwaway PostgreSQL database (started on first use)."""
    try:
        server = shared_server(Path(os.environ[SHARED_DIR_ENV]))
    except PostgresUnavailable as exc:
        unavailable("PostgreSQL", str(exc))
    return server.url


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server of ``server_url``, dropped on exit: its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_postgres_url(postgres_url: str) -> Iterator[str]:
    """A new empty database on the run's server for one test (dropped after): its URL."""
    with fresh_database(postgres_url) as url:
        yield url


def main() -> None:
    """``python -m tests.support.postgres``: start a server, print its URL, stop on Ctrl-C."""
    began = time.perf_counter()
    with postgres_server() as server:
        print(f"started in {time.perf_counter() - began:.2f} s: {server.url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
        began = time.perf_counter()
    print(f"stopped and removed in {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
