"""``serve`` keeps freed memory for reuse (setting keep_freed_memory; emulator/serving/memory.py)
when glibc is the C library, and leaves the allocator alone when told not to."""

from __future__ import annotations

import platform

import pytest

from tests.http.test_cli import Server

KEPT = "DEBUG emulator.serving: freed memory is kept for reuse"


GLIBC_ONLY = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="the allocator options are glibc's"
)


@GLIBC_ONLY
def test_serve_keeps_freed_memory_for_reuse_by_default() -> None:
    running = Server("--log-level", "debug", env={})
    try:
        running.wait_for_url()
        assert any(KEPT in line for line in running.output), running.output
    finally:
        running.kill()


@GLIBC_ONLY
def test_serve_leaves_the_allocator_alone_when_told_not_to_keep_freed_memory() -> None:
    running = Server("--log-level", "debug", "--keep-freed-memory", "false", env={})
    try:
        running.wait_for_url()
        assert not any(KEPT in line for line in running.output)  # shown at this level if kept
    finally:
        running.kill()
