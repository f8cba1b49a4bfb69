"""The emulator's benchmark (issue 7): ``python -m tests.benchmarks [--quick] [--runs N]``.

Every figure is compared with the fastest thing the emulator's stack can do on the same
machine in the same run (a bare Starlette app on the same uvicorn settings; the same SQLite
rows read with the stdlib ``sqlite3`` module and encoded with orjson), so the ratios survive
noisy machines. It starts and stops its own servers on free 127.0.0.1 ports.
"""
