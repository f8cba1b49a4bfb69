"""``python -m emulator.openapi [FILE]``: write the OpenAPI document (stdout without FILE)."""

from __future__ import annotations

import sys
from pathlib import Path

from emulator.docs import shipped_registry
from emulator.openapi import document, render
from emulator.serving.routes import control_routes


def main(argv: list[str]) -> None:
    text = render(document(shipped_registry(), control_routes()))
    if argv:
        Path(argv[0]).write_bytes(text)
    else:
        sys.stdout.buffer.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
