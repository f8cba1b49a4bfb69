"""One call per strict-mode finding, with the finding it must give: what test_findings.py runs
in ``warn`` and ``error`` mode, and what README's "Strict mode" section shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    code: str
    parameter: str
    end_point: str
    params: dict[str, str]
    message: str
    #: form, get-body; the User-Agent (None: the tests' own)
    how: str = "form"
    user_agent: str | None = None
    #: The key pair is sent (not for apikey).
    credentials: bool = True
    #: Parameters sent without the key pair's (apikey's case).
    extra: dict[str, str] = field(default_factory=dict)


def line(**fields: str) -> str:
    return json.dumps([{"lineid": "0", "productid": "270", **fields}])


CASES = [
    Case(
        "unknown-field", "lastnme", "edit_contact", {"crmid": "150", "lastnme": "Jones"},
        "'lastnme' is not a field of Contacts: the real API ignores it and stores nothing"
        " (did you mean lastname?)",
    ),
    Case(
        "unknown-field", "products[1].quantiy", "edit_quote",
        {"crmid": "420", "products": line(quantiy="2")},
        "'quantiy' on line 1 is not a product line field: the real API ignores it"
        " (did you mean quantity?)",
    ),
    Case(
        "read-only-field", "createdtime", "edit_contact",
        {"crmid": "150", "createdtime": "2020-01-01 09:00:00"},
        "createdtime is read-only on Contacts (the system sets it): the real API ignores it",
    ),
    Case(
        "read-only-field", "products[1].taxpercent", "edit_quote",
        {"crmid": "420", "products": line(taxpercent="5")},
        "products[1].taxpercent can't be set from the API (the system calculates it from the"
        " other values): the real API ignores it",
    ),
    Case(
        "apikey", "apikey", "get_contact_list", {},
        "apikey is not a parameter of the real API, which reads the API key from 'key' only:"
        " it answers this call as if no key were sent (Unauthorized); send key",
        credentials=False, extra={"apikey": "demo-key", "passkey": "demo-passkey"},
    ),
    Case(
        "negative-operator", "query_string", "get_contact_list",
        {"query_string": "lastname|!=|Jones"},
        "condition 'lastname|!=|Jones' uses '!=', which the real API treats as '=': it answers"
        " as for 'lastname|=|Jones', the records that match, not the others",
    ),
    Case(
        "never-filled-field", "query_string", "get_lead_list", {"query_string": "converted|=|1"},
        "condition 'converted|=|1' is on converted, which the API never fills on Leads (only"
        " the web application sets it): the real API runs it, but no record the API creates or"
        " edits gets a value there",
    ),
    Case(
        "no-owner", "assigned_user_id", "edit_lead", {"crmid": "0", "lastname": "Ward"},
        "a new Leads record without assigned_user_id: the real API makes the API user (id 1)"
        ' its owner; the guide: "On new records, you should always set assigned_user_id so the'
        ' record has an owner"',
    ),
    Case(
        "not-a-number", "annualrevenue", "edit_company",
        {"crmid": "100", "annualrevenue": "about 2 million"},
        "annualrevenue is a currency field, but 'about 2 million' is not a number: the real API"
        " stores it without a check, and it will not compare or add up as a number",
    ),
    Case(
        "bad-date", "birthday", "edit_contact", {"crmid": "150", "birthday": "12/03/1980"},
        "birthday is a date field and takes Y-m-d (e.g. 2026-03-31), not '12/03/1980': the real"
        " API stores it without a check, and it will not compare as a date in query_string",
    ),
    Case(
        "bad-checkbox", "do_not_email", "edit_contact", {"crmid": "150", "do_not_email": "yes"},
        "do_not_email is a checkbox and takes 0 or 1, not 'yes': the real API stores it without"
        " a check",
    ),
    Case(
        "bad-picklist", "leadstatus", "edit_lead", {"crmid": "200", "leadstatus": "hot"},
        "'hot' is not one of leadstatus's picklist values (Attempted to Contact, Cold, Contact"
        " in Future, Contacted, Hot, Junk Lead, Lost Lead, Not Contacted, ...): the real API"
        " stores it without a check, and the web application's list will not offer it (did"
        " you mean 'Hot'?)",
    ),
    Case(
        "no-such-record", "accountid", "edit_contact", {"crmid": "150", "accountid": "999999"},
        "accountid = 999999 points to no live company record: the real API stores it without"
        " a check, leaving a link to nothing",
    ),
    Case(
        "no-such-record", "accountid", "edit_contact", {"crmid": "150", "accountid": "151"},
        "accountid = 151 points to no live company record: the real API stores it without a"
        " check, leaving a link to nothing",
    ),
    Case(
        "limit-order", "limit_end", "get_contact_list", {"limit_start": "5", "limit_end": "2"},
        "limit_end 2 is below limit_start 5: the real API reads limit_end as an end index and"
        " answers no records; for 2 records after the first 5, send limit_end=7",
    ),
    Case(
        "body-with-get", "(body)", "get_contact_list", {"keywords": "bob"},
        "a GET request with a body (form): PHP reads a request body for POST only, so the real"
        " API would most likely not see the parameters in it; send them with POST (as the"
        " guide recommends)",
        how="get-body",
    ),
    Case(
        "blocked-user-agent", "User-Agent", "get_contact_list_count", {},
        'the User-Agent "python-requests/2.32.3" contains "python": the live API\'s web firewall'
        " refuses this call with HTTP 403 before the API sees it; send a User-Agent of your own"
        " (e.g. 'my-integration/1.0')",
        user_agent="python-requests/2.32.3",
    ),
]  # fmt: skip
CODES = sorted({c.code for c in CASES})
