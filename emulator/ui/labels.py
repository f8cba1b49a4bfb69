"""Field labels as OpenCRM's screens would print them.

The registry gives a few fields a label of their own (``smownerid``: "Assigned To", custom
fields); the rest are labelled here from their API names, which run words together the way
vtiger's columns do (``firstname``, ``bill_street_2``, ``expectedresponsecount``). The name
is cut into known words (the fewest pieces win), each printed as OpenCRM prints it:
``account`` is a Company, ``potential`` an Opportunity, and a reference's trailing ``id``
is dropped (``accountid``: "Company").
"""

from __future__ import annotations

from functools import cache

from emulator.domain.modules import Field, FieldType

#: The words of vtiger's column names.
VOCABULARY = """
account actual action plan active activity days type duration cost response count roi sales
address city country inherit postal code state street adjustment amount annual revenue asset
status assistant email phone balance bill pobox birthday budget buy price campaign name can
esign carrier category charge time closed by on closing date commission approved band rate
company number consent given to processing contact details tags contract term conversion
converted centre gross net created credit limit currency current spend customer no data
entered format modified start in service sold def department description designation
discontinued discount percent do not dob live chat due hours minutes bounced employees
enable recurring end event excise duty expected expiry extra parent id fax first folder
gain loss gl acct greeting home include sync industry inventory manager invoice is admin
issue last lane lead source location bin shelf warehouse login mailing zip major
manufacturer maximum mfr part mini minimum margin mobile next step nominal of num sent
opened other outstanding overdue ownership paid payment pending password potential pre tax
total previous pricebook priority private probability prod supply product sheet qty per
unit demand stock quote stage rating reassigned received frequency reg reminder cont
reorder level reports requisition right be forgotten sage ref salutation sc related
sched send notification support serial severity ship shipping method tracking show docs
portal single sm creator owner solution so sponsor class progress zone vendor planned nom
quotes contracts products po subject subscription sub tag target
audience size task list tech terms conditions ticket title units trouble tickets update log
usage used user valid till vat exempt visibility website weighted year locked purch
purchase order project projects proj pri nc tps fps noof work proprietor taken queue line
pricing remaining saved despatched supplier prd cf markup quantity tier value
"""
WORDS = frozenset(VOCABULARY.split())
#: How a word prints, where it is not simply capitalised.
SHOWN = {
    "account": "Company", "potential": "Opportunity", "pobox": "PO Box", "roi": "ROI",
    "vat": "VAT", "gl": "GL", "sc": "SC", "tps": "TPS", "fps": "FPS", "nc": "NC", "so": "SO",
    "dob": "Date of Birth", "esign": "e-Sign", "noof": "No. of", "no": "No", "proj": "Project",
    "purch": "Purchase", "prod": "Product", "def": "Default", "qty": "Qty", "m": "(min)",
    "nom": "Nominal", "po": "PO", "quotes": "Quote", "contracts": "Contract",
    "products": "Product", "mfr": "Mfr", "prd": "Product", "cf": "Custom", "sm": "",
    "id": "Id", "of": "of", "to": "to", "by": "By",
}  # fmt: skip
#: Whole names whose words alone would mislead.
NAMED = {
    "smcreatorid": "Created By", "modifiedby": "Modified By", "s_h_amount": "S&H Amount",
    "s_h_percent": "S&H Percent", "crmid": "Record Id", "accountname": "Company Name",
    "potentialname": "Opportunity Name", "troubletickets_tags": "Ticket Tags",
}  # fmt: skip
UNKNOWN_COST = 10  # a letter outside any known word: far dearer than one more word


def label_of(field: Field) -> str:
    """The field's label: the registry's own, or one made from its API name."""
    return field.label or label_for(field.name, reference=field.type is FieldType.REF)


@cache
def label_for(name: str, reference: bool = False) -> str:
    if name in NAMED:
        return NAMED[name]
    words = [w for part in name.split("_") if part for w in words_of(part)]
    if reference and len(words) > 1 and words[-1] == "id":
        words.pop()
    shown = (SHOWN.get(w, w.capitalize()) for w in words)
    return " ".join(w for w in shown if w) or name


def words_of(part: str) -> list[str]:
    """A single letter between underscores stands alone (``time_m``: minutes)."""
    return [part] if part in SHOWN else split_words(part)


def split_words(part: str) -> list[str]:
    """``part`` cut into known words and runs of digits, fewest pieces first."""
    # best[i]: (cost, words) of the cheapest cut of part[:i]
    best: list[tuple[int, list[str]]] = [(0, [])]
    for end in range(1, len(part) + 1):
        cost, words = best[end - 1]
        choice = (cost + UNKNOWN_COST, glued(words, part[end - 1]))
        for start in range(end):
            piece = part[start:end]
            if piece in WORDS or piece.isdigit():
                option = (best[start][0] + 1, [*best[start][1], piece])
                choice = min(choice, option, key=lambda c: c[0])
        best.append(choice)
    return best[-1][1]


def glued(words: list[str], letter: str) -> list[str]:
    """An unknown letter joins the piece before it when that was unknown too."""
    if words and words[-1] not in WORDS and not words[-1].isdigit():
        return [*words[:-1], words[-1] + letter]
    return [*words, letter]
