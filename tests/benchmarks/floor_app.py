"""The floor: the least an emulated ``get_<module>`` or ``edit_<module>`` call must do, built
from the emulator's own parts, served as the reference is (``emulator.serving.server``).

Per call it reads the form (``wire.params.form_pairs``), checks the key pair on the system's
keyring, reads the record as the store's JSON text (``Store.record_json``, product lines
and all) or edits it through the backend (``Backend.edit_record``: the unit of work, the
audit trail), encodes the answer as the emulator does, keeps the journal entry
(``Journal.add_call``: the secrets check and all) and logs the INFO line. Everything else
the emulator's pipeline does (finding the system by Host or credentials, the firewall,
strict mode, limits, admission, rate limits and injected faults, the time budget, errors
as OpenCRM's) it leaves out, so its rate over the reference's bounds what any pipeline on
this store, journal and log can reach (``python -m tests.benchmarks.floor``). Its answers are
the emulator's, byte for byte (tests/test_benchmark_floor.py). ``--without journal`` or
``--without log`` leaves that part out as well, to show what it costs.

``python -m tests.benchmarks.floor_app`` prints ``Floor app on http://127.0.0.1:<port>/api/rest/``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.control.journal import sent_secrets
from emulator.control.secrets import Redactor
from emulator.domain.audit import Actor
from emulator.endpoints.call_log import log_call
from emulator.serving import server
from emulator.settings import Settings
from emulator.systems import System, Systems
from emulator.wire import envelope, requests
from emulator.wire.params import Params, form_pairs, text_of

JSON = "application/json"


#: What ``--without`` may leave out of the floor too, to show what it costs.
PARTS = ("journal", "log")


def app(system: System, without: frozenset[str] = frozenset()) -> Starlette:
    """The floor app over ``system`` (the reference's route pattern, so routing costs the
    same), less the :data:`PARTS` in ``without``."""
    journal, log = "journal" not in without, "log" not in without

    async def answer(request: Request) -> Response:
        started = time.perf_counter()
        name = request.path_params["end_point"]
        params = Params(dict(form_pairs(text_of(await request.body()))), "form")
        system.keyring.check_pair(params.text("key"), params.text("passkey"))
        verb, _, noun = name.partition("_")
        module = system.registry.by_noun(noun)
        crmid = int(params.text("crmid"))
        value: object
        if verb == "get":
            found = system.store.record_json(noun, crmid, module.sales)
            assert found is not None, f"no {noun} {crmid}"
            value = envelope.record_json(found, crmid, module.record_module)
        else:
            values, _ignored = requests.edit_values(module, params)
            actor = Actor(system.settings.api_user_id, "127.0.0.1")
            value = system.backend.edit_record(module, crmid, values, None, actor).crmid
        body = envelope.encode(value)
        ip = request.client.host if request.client else ""
        redact = Redactor(system.keyring.secrets_in, sent_secrets(params, {}))
        duration = (time.perf_counter() - started) * 1000
        if journal:
            system.control.journal.add_call(
                params, value, body, [], redact, system.keyring.is_secret, end_point=name,
                time=system.clock.stamp(), source=params.source, status=200,
                duration_ms=round(duration, 3), ip=ip, findings=[],
            )  # fmt: skip
        if log:
            log_call(name, 200, duration, ip)
        return Response(body, media_type=JSON)

    async def reset(_request: Request) -> Response:  # as the emulator's, between runs
        await asyncio.to_thread(system.control.reset)
        return Response(b'{"status":"reset"}', media_type=JSON)

    return Starlette(
        routes=[
            Route("/api/rest/{end_point:path}", answer, methods=["POST"]),
            Route("/_emulator/reset", reset, methods=["POST"]),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    top = argparse.ArgumentParser(prog="python -m tests.benchmarks.floor_app")
    top.add_argument("--without", action="append", choices=PARTS, default=[])
    without = frozenset(top.parse_args(argv).without)
    settings = Settings(port=0)
    server.configure_logging(settings.log_level)  # serve's: an INFO line a call, batched
    systems = Systems(settings)
    sock = server.bind(settings.host, settings.port)
    print(f"Floor app on http://127.0.0.1:{sock.getsockname()[1]}/api/rest/", flush=True)
    try:
        uvicorn.Server(server.config(app(systems.default, without), settings)).run(sockets=[sock])
    finally:
        systems.close()


if __name__ == "__main__":
    logging.captureWarnings(True)
    main()
