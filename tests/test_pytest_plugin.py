"""The pytest plugin, tested as its users meet it: in a test suite of their own (pytester)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.testing.shared import running

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_client=source)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=120)


def test_the_opencrm_fixture_gives_a_client_that_is_reset_between_tests(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        def test_create(opencrm):
            crmid = opencrm.call("edit_contact", crmid="0", lastname="Lovelace")
            assert opencrm.call("get_contact", crmid=str(crmid))["lastname"] == "Lovelace"
            assert opencrm.call("get_contact_list_count") == 12

        def test_sees_fixtures_only(opencrm):
            assert opencrm.call("get_contact_list_count") == 11
            assert opencrm.base_url == "http://127.0.0.1/api/rest/"
            assert opencrm.credentials == {"key": "demo-key", "passkey": "demo-passkey"}
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_helpers_read_the_journal_and_the_audit_trail_and_move_the_clock(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        def test_helpers(opencrm):
            opencrm.clock.freeze()
            crmid = opencrm.call("edit_lead", crmid="0", lastname="Hopper")
            opencrm.clock.advance(120)
            opencrm.call("edit_lead", crmid=str(crmid), company="Navy")
            [entry] = opencrm.journal("edit_lead")[:1]
            assert entry["params"]["passkey"] == "********"
            trail = opencrm.audit(crmid)
            assert [e["action"] for e in trail] == ["Modified(API)", "Modified(API)"]
            assert [e["status"] for e in trail] == [2, 0]
            assert trail[1]["changedon"] > trail[0]["changedon"]
        """,
    )
    result.assert_outcomes(passed=1)


def test_the_fault_helper_makes_the_next_call_fail_and_reset_clears_it(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        def test_fault(opencrm):
            opencrm.fault("get_contact", message="Service unavailable", times=1)
            answer = opencrm.call("get_contact", crmid="150", check=False)
            assert answer == {"error": "Service unavailable"}
            assert opencrm.call("get_contact", crmid="150")["lastname"] == "Jones"

        def test_after_reset(opencrm):
            assert opencrm.settings()["runtime"]["faults"] == []
        """,
    )
    result.assert_outcomes(passed=2)


def test_the_marker_configures_the_emulator_a_test_gets(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.opencrm(records=20, seed=7)
        def test_seeded(opencrm):
            assert opencrm.call("get_contact_list_count") == 20

        @pytest.mark.opencrm(key="ci-key", passkey="ci-pass", list_cap=2)
        def test_settings(opencrm):
            assert opencrm.key == "ci-key"
            assert len(opencrm.call("get_contact_list")) == 2

        def test_default(opencrm):
            assert opencrm.call("get_contact_list_count") == 11
        """,
    )
    result.assert_outcomes(passed=3)


def test_the_live_server_fixture_serves_on_a_real_loopback_socket(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import httpx

        def test_live(opencrm_server):
            assert opencrm_server.base_url.startswith("http://127.0.0.1:")
            answer = httpx.post(
                opencrm_server.base_url + "get_contact_list_count",
                data=opencrm_server.credentials, timeout=10,
                headers={"User-Agent": "my-crm-sync/1.0"},  # the firewall refuses httpx's
            )
            assert answer.json() == 11
        """,
    )
    result.assert_outcomes(passed=1)


def test_under_xdist_the_workers_share_one_server_each_with_a_system_of_its_own(
    pytester: pytest.Pytester,
) -> None:
    meeting = pytester.mkdir("meeting")
    source = """
        import json, os, pathlib, time
        import httpx

        MEETING = pathlib.Path(MEETING_PATH)
        UA = {"User-Agent": "worker-client/1.0"}  # httpx's default is blocked by the firewall

        def meet(stage, worker_id, facts):
            \"\"\"Say where this worker stands, and wait until the other one says it too.\"\"\"
            (MEETING / f"{stage}-{worker_id}.json").write_text(json.dumps(facts))
            deadline = time.monotonic() + 60
            while len(found := sorted(MEETING.glob(f"{stage}-*.json"))) < 2:
                assert time.monotonic() < deadline, f"the other worker never reached {stage}"
                time.sleep(0.05)
            [other] = [f for f in found if f.stem != f"{stage}-{worker_id}"]
            return json.loads(other.read_text())

        def test_each_worker_sees_its_own_records_only(opencrm_server, worker_id):
            url, keys = opencrm_server.base_url, opencrm_server.credentials
            new = {**keys, "crmid": "0", "lastname": worker_id}
            answer = httpx.post(url + "edit_contact", data=new, headers=UA, timeout=10)
            assert isinstance(answer.json(), int)
            state = pathlib.Path(os.environ["OPENCRM_PYTEST_SHARED"]) / "server.json"
            mine = {"url": url, "system": opencrm_server.name, "key": keys["key"],
                    "server": json.loads(state.read_text()), "folder": str(state.parent)}
            other = meet("created", worker_id, mine)  # both records exist from here on
            contacts = opencrm_server.call("get_contact_list")
            names = {c["lastname"] for c in contacts}
            assert len(contacts) == 12 and worker_id in names
            assert not names & ({"gw0", "gw1"} - {worker_id})  # the other worker's record
            assert other["url"] == url and other["server"] == mine["server"]  # one server
            assert other["system"] != mine["system"] and other["key"] != keys["key"]
            systems = {s["name"] for s in opencrm_server.control.systems()}
            assert systems == {"demo", mine["system"], other["system"]}  # one per worker
            (MEETING / f"server-{worker_id}.json").write_text(json.dumps(mine))
            meet("checked", worker_id, mine)  # neither resets before both have looked

        def test_the_next_test_starts_from_the_fixtures(opencrm_server):
            assert opencrm_server.call("get_contact_list_count") == 11
            assert opencrm_server.journal("edit_contact") == []
        """.replace("MEETING_PATH", repr(str(meeting)))
    result = run(pytester, source, "-n", "2", "--dist", "each")
    result.assert_outcomes(passed=4)
    [first, second] = [json.loads(p.read_text()) for p in sorted(meeting.glob("server-*.json"))]
    assert first["server"] == second["server"]
    assert not running(first["server"]["pid"])  # stopped by the run's owner at its end
    assert not Path(first["folder"]).exists()


def test_a_test_can_have_a_system_of_its_own_beside_the_servers(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import datetime, httpx, pytest

        OWN = []

        def test_own(opencrm_system, opencrm_server):
            assert opencrm_system.name != opencrm_server.name
            assert opencrm_system.base_url == opencrm_server.base_url  # one server
            assert opencrm_system.key != opencrm_server.key
            opencrm_system.call("edit_contact", crmid="0", lastname="Mine")
            assert opencrm_system.call("get_contact_list_count") == 12
            assert opencrm_server.call("get_contact_list_count") == 11
            with opencrm_system.httpx_client() as http:  # its Host: a wrong key is its own
                http.post("/api/rest/get_contact", data={"key": "nope", "passkey": "x"},
                          headers={"User-Agent": "my-crm/1.0"})
            [refused] = opencrm_system.journal("get_contact")
            assert "AUTHENTICATION FAILED" in refused["response"]["error"]
            OWN.append(opencrm_system.name)

        def test_removed_after_the_test(opencrm_server):
            names = {s["name"] for s in opencrm_server.control.systems()}
            assert OWN and OWN[0] not in names and opencrm_server.name in names

        def test_helpers_through_the_control_plane(opencrm_server):
            opencrm_server.clock.freeze(datetime.datetime(2026, 1, 2, 9, 0))
            crmid = opencrm_server.call("edit_lead", crmid="0", lastname="Hopper")
            opencrm_server.clock.advance(120)
            opencrm_server.call("edit_lead", crmid=str(crmid), company="Navy")
            trail = opencrm_server.audit(crmid)
            stamps = ["2026-01-02 09:00:00", "2026-01-02 09:02:00"]
            assert [e["changedon"] for e in trail] == stamps
            assert opencrm_server.clock.frozen and opencrm_server.clock.stamp() == stamps[1]
            opencrm_server.assert_called("edit_lead", times=2)
            opencrm_server.fault("get_lead", message="Down", times=1)
            answer = opencrm_server.call("get_lead", crmid=str(crmid), check=False)
            assert answer == {"error": "Down"}
            with pytest.raises(AttributeError, match="in another process"):
                opencrm_server.system

        @pytest.mark.opencrm(records=20, seed=7, error_status="http", faults=[{"times": 1}])
        def test_a_marker_makes_and_sets_the_system(opencrm_server, opencrm_system):
            for crm in (opencrm_server, opencrm_system):
                assert type(crm).__name__ == "SharedSystem"
                assert crm.call("get_lead", crmid="1", check=False) == {"error": "Internal error"}
                assert crm.call("get_contact_list_count") == 20
                assert crm.settings()["runtime"]["error_status"] == "http"

        @pytest.mark.opencrm(list_cap=2)
        def test_a_start_up_setting_gets_a_private_server(opencrm_server):
            assert type(opencrm_server).__name__ == "PrivateServer"
            assert len(opencrm_server.call("get_contact_list")) == 2
            url = opencrm_server.base_url + "get_contact_list_count"
            ua = {"User-Agent": "my-crm-sync/1.0"}  # the firewall refuses httpx's own
            assert httpx.post(url, data=opencrm_server.credentials, headers=ua).json() == 11
        """,
    )
    result.assert_outcomes(passed=5)


def test_a_users_first_hour_transports_call_errors_journal_checks_and_a_cheap_import(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import asyncio, re, subprocess, sys
        import httpx, httpx2, pytest, requests
        from emulator.pytest_plugin import OpenCRMAPIError

        AGENT = {"User-Agent": "my-crm-sync/1.0"}  # the live firewall refuses python's own

        class Client:  # a user's OpenCRM client: any of the three libraries' sessions will do
            def __init__(self, crm, http):
                self.url, self.keys, self.http = crm.base_url, crm.credentials, http

            def count(self):
                url, keys = self.url + "get_contact_list_count", self.keys
                response = self.http.post(url, data=keys, headers=AGENT)
                response.raise_for_status()
                return response.json()

        LIBRARIES = {  # the client, what raise_for_status() raises, what a drop raises
            "httpx": ("httpx_client", httpx.HTTPStatusError, httpx.TransportError),
            "httpx2": ("httpx2_client", httpx2.HTTPStatusError, httpx2.TransportError),
            "requests": ("requests_session", requests.HTTPError, requests.ConnectionError),
        }

        @pytest.mark.parametrize("library", LIBRARIES)
        def test_each_librarys_client_raises_its_own_errors(opencrm, library):
            make, status_error, connection_error = LIBRARIES[library]
            client = Client(opencrm, getattr(opencrm, make)())
            assert client.count() == 11
            opencrm.fault("get_contact_list_count", kind="drop", times=1)
            with pytest.raises(connection_error):
                client.count()
            opencrm.settings(faults=[{"kind": "status", "status": 503, "times": 1}])
            with pytest.raises(status_error):
                client.count()

        def test_the_async_httpx_client(opencrm):
            async def count():
                async with opencrm.async_httpx_client() as http:
                    answer = await http.post(opencrm.base_url + "get_lead_list_count",
                                             data=opencrm.credentials, headers=AGENT)
                    return answer.json()
            assert asyncio.run(count()) == 6

        def test_call_raises_the_apis_message_unless_told_not_to(opencrm):
            with pytest.raises(OpenCRMAPIError, match="Unknown end point: get_led") as raised:
                opencrm.call("get_led")
            assert (raised.value.end_point, raised.value.status) == ("get_led", 200)
            assert opencrm.call("get_led", check=False) == raised.value.answer
            with pytest.raises(opencrm.APIError, match="Invalid campaign"):
                opencrm.call("add_to_campaign", campaignid="150", recordid="150")

        def test_the_journal_filters_and_assert_called_passes(opencrm):
            for name, company in [("Hopper", "Navy"), ("Lovelace", "Engines"), ("Byron", "Navy")]:
                opencrm.call("edit_lead", crmid="0", lastname=name, company=company)
            navy = opencrm.journal("edit_lead", company="Navy")
            assert [e["params"]["lastname"] for e in navy] == ["Hopper", "Byron"]
            assert opencrm.journal(crmid=0, lastname="Byron") == navy[1:]
            opencrm.assert_called("edit_lead", times=3)
            opencrm.assert_called("edit_lead", lastname="Hopper", company="Navy")
            opencrm.assert_called("get_lead", times=0)

        def test_assert_called_lists_the_near_misses(opencrm):
            opencrm.call("edit_lead", crmid="0", lastname="Hopper", company="Navy")
            opencrm.assert_called("edit_lead", lastname="Lovelace", company="Navy")

        def test_assert_called_lists_the_other_calls(opencrm):
            opencrm.call("get_lead_list_count")
            opencrm.assert_called("get_contact_list_count")

        def test_importing_the_plugin_costs_under_a_tenth_of_a_second():
            code = "import pytest, sys; import emulator.pytest_plugin; print(*sys.modules)"
            done = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                                  capture_output=True, text=True, check=True)
            [cost] = re.findall(r"\\| +(\\d+) \\| emulator.pytest_plugin$", done.stderr, re.M)
            assert int(cost) < 100_000  # microseconds, the plugin and all it imports
            heavy = {"starlette", "sqlalchemy", "uvicorn", "httpx", "httpx2", "requests"}
            assert heavy.isdisjoint(done.stdout.split())
        """,
        "-W",
        "error",
    )
    result.assert_outcomes(passed=7, failed=2)
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected 1 call to edit_lead with lastname='Lovelace', "
            "company='Navy', found 0",
            "E*calls to edit_lead with other values:",
            "E*  #* lastname='Hopper' (expected 'Lovelace')",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "E*AssertionError: expected 1 call to get_contact_list_count, found 0",
            "E*no call to get_contact_list_count; the calls made:",
            "E*  #* get_lead_list_count",
        ]
    )
