"""Test support: the real components some tests need (PostgreSQL, headless Chromium, tools).

Each starts only when a test asks for it. Where one cannot be found, a test skips with the
reason on a developer's machine and fails with the same reason in CI (``CI`` set to a true
value): see :func:`tests.support.components.unavailable`.
"""
