"""The pytest plugin, tested as its users meet it: in a test suite of their own (pytester)."""

from __future__ import annotations

import pytest

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
            assert [e["action"] for e in trail] == ["Created(API)", "Modified(API)"]
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
            )
            assert answer.json() == 11
        """,
    )
    result.assert_outcomes(passed=1)


def test_live_servers_are_safe_under_xdist(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import httpx
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_live(opencrm_server, n):
            url = opencrm_server.base_url
            keys = opencrm_server.credentials
            new = {**keys, "crmid": "0", "lastname": str(n)}
            crmid = httpx.post(url + "edit_contact", data=new, timeout=10).json()
            assert isinstance(crmid, int)
            count = httpx.post(url + "get_contact_list_count", data=keys, timeout=10)
            assert count.json() == 12
        """,
        "-n",
        "2",
    )
    result.assert_outcomes(passed=4)
