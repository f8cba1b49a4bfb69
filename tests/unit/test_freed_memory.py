"""emulator/serving/memory.py: glibc told to keep freed memory for reuse. Each check runs in a
child process, since the allocator's options are the whole process's (never this one's)."""

from __future__ import annotations

import ctypes
import os
import platform
import subprocess
import sys

import pytest

GLIBC = platform.libc_ver()[0] == "glibc"
pytestmark = [
    pytest.mark.skipif(not GLIBC, reason="the allocator options are glibc's"),
    pytest.mark.skipif(
        GLIBC and not hasattr(ctypes.CDLL("libc.so.6"), "mallinfo2"),
        reason="mallinfo2 needs glibc 2.33 or newer",
    ),
]

#: A child that allocates a block of 64 MiB in a thread, frees it, and prints what glibc
#: says of its memory: blocks mapped on their own, and free bytes kept in its heap.
CHILD = """
import ctypes, sys, threading
from emulator.serving.memory import keep_freed_memory
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
kept = keep_freed_memory() if sys.argv[1] == "keep" else None
seen = {}
def allocate():
    block = bytearray(64 << 20)
    seen["mapped"] = libc.mallinfo2().hblkhd
    del block
worker = threading.Thread(target=allocate)
worker.start()
worker.join()
print(kept, seen["mapped"] >= 64 << 20, libc.mallinfo2().fordblks >= 64 << 20)
"""


def child(mode: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_TUNABLES"))}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    return done.stdout.split()


def test_a_large_block_freed_in_a_thread_stays_in_the_heap_for_reuse() -> None:
    assert child("keep") == ["True", "False", "True"]  # never mapped on its own; kept once freed


def test_without_it_glibc_maps_a_large_block_on_its_own_and_gives_it_back() -> None:
    assert child("default") == ["None", "True", "False"]
