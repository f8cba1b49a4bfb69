"""Strict mode and the firewall in the pytest plugin, as a user's test suite meets them:
``@pytest.mark.opencrm(strict="error")`` fails a test on any finding it did not read,
``opencrm.warnings()`` lists them, ``--opencrm-strict`` turns strict mode on for a run."""

from __future__ import annotations

import pytest

SUITE = """
import pytest

AGENT = {"User-Agent": "my-crm-sync/1.0"}


def create_lead(http, crm, **fields):  # the user's code under test
    data = {**crm.credentials, "crmid": "0", **fields}
    return http.post(crm.base_url + "edit_lead", data=data, headers=AGENT).json()


@pytest.mark.opencrm(strict="error")
def test_a_typo_fails_the_test(opencrm):
    create_lead(opencrm.httpx_client(), opencrm, lastname="Ward", compnay="Navy")


@pytest.mark.opencrm(strict="error")
def test_findings_the_test_reads_are_its_own_business(opencrm):
    answer = create_lead(opencrm.httpx_client(), opencrm, lastname="Ward", compnay="Navy")
    assert answer["error"].startswith("strict: 'compnay' is not a field of Leads")
    [finding] = opencrm.warnings("edit_lead", code="unknown-field")
    assert (finding.code, finding.parameter) == ("unknown-field", "compnay")
    assert "did you mean company?" in finding.message


@pytest.mark.opencrm(strict="error")
def test_a_correct_client_passes(opencrm):
    crmid = create_lead(
        opencrm.httpx_client(), opencrm, lastname="Ward", company="Navy", assigned_user_id="2"
    )
    assert opencrm.call("get_lead", crmid=str(crmid))["company"] == "Navy"


def test_a_client_with_its_librarys_user_agent_meets_the_firewall(opencrm):
    answer = opencrm.httpx_client().post(
        opencrm.base_url + "get_lead_list_count", data=opencrm.credentials
    )
    assert answer.status_code == 403
    assert "python-user-agent" in answer.text


def test_an_unmarked_test_with_a_typo(opencrm):
    crmid = create_lead(opencrm.httpx_client(), opencrm, lastname="Ward", compnay="N")
    assert isinstance(crmid, int), crmid


@pytest.mark.opencrm(strict="off")
def test_the_marker_wins_over_the_option(opencrm):
    assert create_lead(opencrm.httpx_client(), opencrm, lastname="Ward", compnay="N") > 0
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_client=SUITE)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=120)


def test_strict_error_fails_a_test_on_findings_it_did_not_read(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester)
    result.assert_outcomes(passed=5, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*test_a_typo_fails_the_test*",
            "OpenCRM strict mode found 2 mistake(s) the real API accepts silently:",
            "  #* edit_lead: 'compnay' is not a field of Leads: the real API ignores it and"
            " stores nothing (did you mean company?) ?unknown-field?",
            "  #* edit_lead: a new Leads record without assigned_user_id: *no-owner?",
            "(read them with opencrm.warnings() to make them part of the test)",
        ]
    )


def test_the_option_turns_strict_mode_on_for_a_run_and_warn_lists_the_findings(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, "--opencrm-strict=warn", "-k", "unmarked or marker or correct")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "*OpenCRM strict mode: findings*",
            "test_client.py::test_an_unmarked_test_with_a_typo",
            "  #* edit_lead: 'compnay' is not a field of Leads*unknown-field?",
            "  #* edit_lead: a new Leads record without assigned_user_id*no-owner?",
        ]
    )
    listed = result.stdout.str().split("OpenCRM strict mode: findings")[1]
    assert "test_the_marker_wins_over_the_option" not in listed
    assert "test_a_correct_client_passes" not in listed


def test_the_option_in_error_mode_fails_an_unmarked_test_with_a_finding(
    pytester: pytest.Pytester,
) -> None:
    result = run(pytester, "--opencrm-strict=error", "-k", "unmarked")
    result.assert_outcomes(failed=1)  # the client gets the strict error as its answer
    result.stdout.fnmatch_lines(["*AssertionError: {'error': \"strict: 'compnay' is not a*"])
