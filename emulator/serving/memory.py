"""Memory a served emulator frees, kept for its next use (setting ``keep_freed_memory``).

A reset restores a system's database from its image: SQLite allocates a block of the
image's size (117 MB at 10,000 records per module) and copies the image into it, then frees
the block it replaces. glibc serves a block that large with a fresh ``mmap`` and unmaps it
when freed, so every reset first touches 117 MB of new pages: page faults were 55 of a
reset's 58 ms. Told by ``mallopt`` to keep one arena (``M_ARENA_MAX``: the control plane's
threads allocate where the loop's freed), to take large blocks from that heap too
(``M_MMAP_MAX`` 0) and never to trim its top (``M_TRIM_THRESHOLD``), it hands the next reset
the pages the last one freed, already mapped: a reset then takes 17 ms.

The price: what the process frees stays in it for reuse, so its resident size stays at its
peak instead of falling back after a reset (10,000 records per module: 590 MB after five
resets either way at the peak; 590 MB resident afterwards instead of 475 MB). The peak, the
memory a machine needs for the server, is the same; a 50,000-row list's server keeps some
70 MB after the call instead of a few. ``M_ARENA_MAX`` only stops new arenas being made: a
thread that already had one (the log writer) keeps it, and a reset run in a thread handed
such an arena would map its block as before (slower, nothing worse). Only ``serve``
applies it, once, when seeding is done, in one server process (workers are spawned anew);
seeding's own blocks went back as before, and the third reset on reuses pages. An emulator
running inside another program (the pytest plugin, the transports) never changes that
program's allocator. Elsewhere than glibc (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import platform

log = logging.getLogger("emulator.serving")

#: glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD, M_MMAP_MAX, M_ARENA_MAX = -1, -4, -8
#: The largest trim threshold mallopt takes (an int): the heap's top is never given back.
NEVER_TRIM = 2**31 - 1
OPTIONS = ((M_ARENA_MAX, 1), (M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, NEVER_TRIM))


def keep_freed_memory() -> bool:
    """Tell glibc's allocator to keep freed memory for reuse (see the module docstring);
    False where the C library is not glibc or refused an option."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    kept = all(libc.mallopt(option, value) == 1 for option, value in OPTIONS)
    if kept:
        log.debug("freed memory is kept for reuse (glibc: one arena, no mmap, no trim)")
    return kept
