"""The dashboard's reading pages, in-process: systems, records, one record, the journal."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest

from emulator.pytest_plugin import OpenCRM
from emulator.serving.server import announce
from emulator.settings import Settings
from tests.dashboard.forms import DEMO, UI, text_of, visitor


def test_the_root_and_the_control_planes_root_lead_to_the_dashboard(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    for path in ("/", "/_emulator", "/_emulator/", UI):
        answer = client.get(path)
        assert (answer.status_code, answer.headers["location"]) == (307, f"{UI}/"), path
    assert client.get(f"{UI}/").status_code == 200


def test_the_systems_page_shows_module_counts_and_key_pair_names_never_the_passkey(
    opencrm: OpenCRM,
) -> None:
    page = visitor(opencrm).get(f"{UI}/").text
    assert 'id="system-demo"' in page
    assert '<td class="num" data-module="contact">11</td>' in page
    assert '<code class="key">demo-key</code>' in page
    assert "demo-passkey" not in page


def test_a_modules_page_lists_its_records_with_the_list_fields_by_label(opencrm: OpenCRM) -> None:
    page = visitor(opencrm).get(f"{DEMO}/modules/contact").text
    assert '<th title="lastname">Last Name</th>' in page
    assert '<th title="smownerid">Assigned To</th>' in page
    assert page.count(f'href="{DEMO}/modules/contact/') == 11
    assert "11 found" in page


def test_a_filter_uses_the_apis_query_string_and_keywords(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    query: dict[str, Any] = {"query_string": "lastname|BEGINS|jo", "keywords": "bob"}
    page = client.get(f"{DEMO}/modules/contact", params=query).text
    wanted = opencrm.call("get_contact_list", **query)
    shown = re.findall(rf'href="{DEMO}/modules/contact/(\d+)"', page)
    assert shown == [str(row["crmid"]) for row in wanted] == ["150"]


def test_a_wrong_filter_shows_the_apis_own_error(opencrm: OpenCRM) -> None:
    query = {"query_string": "nosuchfield|=|x"}
    answer = visitor(opencrm).get(f"{DEMO}/modules/contact", params=query)
    api = opencrm.call("get_contact_list", check=False, **query)
    assert answer.status_code == 400
    assert api["error"] in text_of(answer.text)


def test_records_come_fifty_a_page(opencrm: OpenCRM) -> None:
    opencrm.system.control.seed(60, 1, modules={"lead"})
    client = visitor(opencrm)
    first = client.get(f"{DEMO}/modules/lead").text
    second = client.get(f"{DEMO}/modules/lead", params={"page": "2"}).text
    link = f'href="{DEMO}/modules/lead/'
    assert (first.count(link), second.count(link)) == (50, 10)
    assert "page 1 of 2" in first
    assert 'rel="prev"' in second


def test_a_record_shows_every_field_by_label_and_its_product_lines_computed_fields(
    opencrm: OpenCRM,
) -> None:
    page = visitor(opencrm).get(f"{DEMO}/modules/quote/421").text
    quote = opencrm.call("get_quote", crmid="421")
    assert '<th title="quotestage">Quote Stage</th>' in page
    assert f'<td data-field="total">{quote["total"]}</td>' in page
    assert f'<a href="{DEMO}/modules/company/102">102</a>' in page  # account_id links
    line = quote["products"][0]
    for computed in ("taxvalue", "margin_percent", "commission_amount"):
        cell = f'<td class="computed num" data-line-field="{computed}">{line[computed]}</td>'
        assert cell in page
    assert page.count('data-line-field="linenumber"') == len(quote["products"])


def test_a_record_shows_its_audit_trail_links_and_campaigns(opencrm: OpenCRM) -> None:
    opencrm.call("edit_contact", crmid="150", title="Head of Bench")
    opencrm.call("edit_record_link", parent_id="150", child_id="100")
    assert opencrm.call("add_to_campaign", campaignid="260", recordid="150") == "Success"
    client = visitor(opencrm)
    contact = text_of(client.get(f"{DEMO}/modules/contact/150").text)
    assert "title : Practice Manager → Head of Bench" in contact
    assert "child: Accounts 100" in contact
    assert f'href="{DEMO}/modules/campaign/260"' in client.get(f"{DEMO}/modules/contact/150").text
    campaign = text_of(client.get(f"{DEMO}/modules/campaign/260").text)
    assert "Contacts 150" in campaign


def test_a_record_or_system_there_is_none_of_is_a_404_page(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    for path in (f"{DEMO}/modules/contact/999999", f"{DEMO}/modules/nosuch", f"{UI}/systems/x"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert "text/html" in answer.headers["content-type"]


def test_the_journal_lists_calls_newest_first_with_their_facts_and_masked_secrets(
    opencrm: OpenCRM,
) -> None:
    opencrm.call("get_contact", crmid="150")
    opencrm.call("get_contact_list", query_string="lastname|!=|Jones")
    page = visitor(opencrm).get(f"{DEMO}/journal").text
    assert page.index('data-end-point="get_contact_list"') < page.index(
        'data-end-point="get_contact"'
    )
    assert "operator &#39;!=&#39; on &#39;lastname&#39; treated as &#39;=&#39;" in page
    assert '<span class="src">form</span>' in page
    assert "demo-passkey" not in page
    assert "********" in page


def test_the_journals_poll_answers_only_newer_calls_under_the_filter(opencrm: OpenCRM) -> None:
    client = visitor(opencrm)
    opencrm.call("get_contact", crmid="150")
    poll = f"{DEMO}/journal/entries"
    first = client.get(poll, params={"after": "0"})
    newest = int(first.headers["x-journal-newest"])
    assert first.text.count('class="entry') == 1
    opencrm.call("get_lead_list_count")
    opencrm.call("get_contact", crmid="151")
    later = client.get(poll, params={"after": str(newest), "end_point": "get_contact"})
    assert later.text.count('class="entry') == 1
    assert "151" in later.text
    assert int(later.headers["x-journal-newest"]) == newest + 2
    assert later.headers["x-journal-oldest"] == str(newest)


def test_building_the_app_does_not_import_jinja2() -> None:
    code = (
        "import sys; from emulator.serving.app import create_app; create_app();"
        "print('jinja2' in sys.modules, 'emulator.ui.pages' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_the_start_up_banner_says_where_the_dashboard_is(
    capsys: pytest.CaptureFixture[str],
) -> None:
    announce(Settings(), 8080)
    lines = capsys.readouterr().out.splitlines()
    assert "  ui:       http://127.0.0.1:8080/_emulator/ui/ (the dashboard, in a browser)" in lines
    assert lines[-1].startswith("  try:")
