"""``python -m emulator.testing.served OWNER ARGS...``: ``opencrm-emulator ARGS``, stopped
when process OWNER (the pytest run that owns the shared server) is gone.

The owner stops the server at the end of the run (emulator/testing/shared.py); this is for
a run that ends without doing so (killed, or timed out in a pytester subprocess), so that it
leaves no server running. The server stops as on SIGTERM: uvicorn's graceful shutdown.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Sequence

from emulator.serving.cli import main as serve
from emulator.testing.shared import running

POLL_SECONDS = 0.5


def watch(owner: int) -> None:
    while running(owner):
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)


def main(argv: Sequence[str]) -> int:
    owner, *args = argv
    threading.Thread(target=watch, args=(int(owner),), daemon=True).start()
    return serve(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
