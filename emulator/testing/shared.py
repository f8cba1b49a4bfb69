"""The one emulator server a pytest run shares between its processes.

The process that owns the run (the xdist controller, or the only process without xdist)
names a folder and hands it to its workers in the environment (:data:`FOLDER_ENV`, with its
own process id in :data:`OWNER_ENV`). The first process that needs the server starts it,
under a lock file in that folder, and writes its address to a state file there; the others
read it. The owner stops the server and removes the folder at the end of the run
(:func:`stop`), once every worker is done. The server is ``opencrm-emulator serve`` on a
free loopback port, in a process of its own that also stops when the owner is gone
(emulator/testing/served.py): a run killed before its end leaves no server behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from emulator.settings import ENV_PREFIX

FOLDER_ENV = "OPENCRM_PYTEST_SHARED"
OWNER_ENV = "OPENCRM_PYTEST_OWNER"
START_TIMEOUT = 60  # seconds: a loaded CI machine can be slow to import and load the fixtures
STOP_TIMEOUT = 10
#: The systems one shared server holds at most: a few per worker (one per marker
#: configuration, one for each test that asks for a system of its own while it runs).
MAX_SYSTEMS = 1000
BANNER = re.compile(r"^OpenCRM emulator \S+ on (https?://[^/\s]+)/api/rest/", re.MULTILINE)


@dataclass(frozen=True)
class Run:
    """A pytest run as the shared server sees it: its folder, the process that stops the
    server, and the name of this process (the xdist worker id, or ``main``)."""

    folder: Path
    owner: int
    worker: str = "main"

    @classmethod
    def new(cls, worker: str = "main") -> Run:
        """A run of this process's own: it stops the server (``stop``)."""
        folder = Path(tempfile.gettempdir()) / f"opencrm-pytest-{os.urandom(6).hex()}"
        return cls(folder, os.getpid(), worker)


@dataclass(frozen=True)
class Served:
    """The running server: its process and where it listens (``http://127.0.0.1:PORT``)."""

    pid: int
    origin: str


def server(run: Run) -> Served:
    """The run's server: started by the first caller, found in the state file by the others."""
    with locked(run.folder) as state:
        found = load(state)
        if found is not None and running(found.pid):
            return found
        served = start(run)
        written = state.with_suffix(".tmp")
        written.write_text(json.dumps(asdict(served)), encoding="utf-8")
        written.replace(state)
        return served


def stop(run: Run) -> None:
    """Stop the run's server, if one was started, and remove the run's folder."""
    if not run.folder.is_dir():
        return
    with locked(run.folder) as state:
        found = load(state)
        if found is not None:
            terminate(found.pid)
    shutil.rmtree(run.folder, ignore_errors=True)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[Path]:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    with (folder / "server.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the holder exits, even by a crash
        try:
            yield folder / "server.json"
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def load(state: Path) -> Served | None:
    try:
        return Served(**json.loads(state.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def start(run: Run) -> Served:
    """``opencrm-emulator serve`` on a free loopback port, its output in the run's folder.
    The environment's ``OPENCRM_EMULATOR_*`` settings are left out: systems on the shared
    server get the defaults, as ones in-process do. It is spawned without a ``Popen``: the
    process that starts it may end long before the server does (the owner stops it), and a
    ``Popen`` of a running process complains when it is collected."""
    command = [sys.executable, "-m", "emulator.testing.served", str(run.owner), "serve"]
    command += ["--host", "127.0.0.1", "--port", "0", "--log-level", "warning"]
    command += ["--max-systems", str(MAX_SYSTEMS)]
    env = {name: value for name, value in os.environ.items() if not name.startswith(ENV_PREFIX)}
    log = run.folder / "server.log"
    output = (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    quiet = (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)
    actions = [quiet, output, (os.POSIX_SPAWN_DUP2, 1, 2)]
    pid = os.posix_spawn(sys.executable, command, env, file_actions=actions)
    return Served(pid, origin_of(pid, log))


def origin_of(pid: int, log: Path) -> str:
    """Where the server listens, from its banner (it listens before printing it)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = BANNER.search(log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1)
        if not running(pid):
            raise RuntimeError(f"the shared emulator server exited: {tail(log)}")
        time.sleep(0.05)
    terminate(pid)
    late = f"the shared emulator server did not start within {START_TIMEOUT} s"
    raise RuntimeError(f"{late}: {tail(log)}")


def tail(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace").strip()[-2000:] or "no output"


def running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, exited but not yet waited for, does not; one
    of this process's children is waited for here)."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == 0
    except ChildProcessError:
        pass  # not a child of this process's
    try:
        os.kill(pid, 0)
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process, or no /proc: it exists
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def terminate(pid: int) -> None:
    """SIGTERM (uvicorn's graceful shutdown), then SIGKILL if it lingers."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
        deadline = time.monotonic() + STOP_TIMEOUT
        while running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not running(pid):
            return
