"""A disk cache of the in-memory database as it stands after the fixtures are loaded.

Loading the fixtures (recomputing every sales line by the API's own rules) is most of the
start-up time; the result depends only on the fixture files and the emulator's code. So the
first start saves the database image under a key made of both, and every later start with
the same key loads it in one step. A changed fixture file or source file makes a new key;
a cache that cannot be read or written is skipped, never an error.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from emulator._version import __version__

PACKAGE = Path(__file__).resolve().parents[1]  # the emulator package


def folder(setting: str) -> Path | None:
    """The cache folder: the ``cache_dir`` setting, "off" for none, "" for the user's cache."""
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "opencrm-emulator"


def key(fixtures: Path) -> str:
    """A digest of the emulator's version, its source and the fixture files."""
    digest = hashlib.sha256(__version__.encode())
    for root, pattern in ((PACKAGE, "*.py"), (fixtures, "*.json")):
        for path in sorted(root.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def load(where: Path | None, name: str) -> bytes | None:
    if where is None:
        return None
    try:
        return (where / f"fixtures-{name}.sqlite").read_bytes()
    except OSError:
        return None


def save(where: Path | None, name: str, image: bytes) -> None:
    """Write atomically (a temporary file renamed), so a half-written image is never read."""
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=where, delete=False) as handle:
            handle.write(image)
        os.replace(handle.name, where / f"fixtures-{name}.sqlite")
    except OSError:
        return
