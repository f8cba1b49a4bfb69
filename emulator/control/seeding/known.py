"""What seeding knows of the records already there: the ids new records may link to, each
record's company, and the names, addresses and users new records take after."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from emulator.control.seeding.batch import Address, Org, slug
from emulator.control.seeding.vocabulary import TOWNS
from emulator.domain.modules import Field, FieldType, Module

if TYPE_CHECKING:
    from emulator.control.seeding.lines import LineBook
    from emulator.control.seeding.target import SeedTarget

HEADER = ("smownerid", "smcreatorid", "modifiedby")
#: What new records take from existing ones: company names, addresses, product names, users.
REMEMBERED = frozenset({
    "accountname", "street", "bill_street_2", "city", "state", "code", "phone", "account_type",
    "productname", "user_name", "status",
})  # fmt: skip
#: Company links that are not the company a record belongs to: a parent, a second party.
SIDE_COMPANIES = frozenset({"parentid", "extra_parent_id"})
COMPANY_SUFFIXES = (" Ltd", " PLC", " LLP", " Group", " & Co", " Limited")


@dataclass
class Known:
    """The live records new ones may link to."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    #: Records of each module by the company they belong to.
    by_company: dict[str, dict[int, list[int]]] = field(default_factory=dict)
    orgs: dict[int, Org] = field(default_factory=dict)
    addresses: dict[int, Address] = field(default_factory=dict)
    suppliers: list[int] = field(default_factory=list)
    product_names: dict[int, str] = field(default_factory=dict)
    users: list[int] = field(default_factory=list)  # active users, who own records
    user_names: set[str] = field(default_factory=set)
    seed: int = 0
    book: LineBook | None = None  # product line templates, made for the first sales module

    @classmethod
    def load(cls, target: SeedTarget) -> Known:
        known = cls()
        for module in target.registry:
            anchor = anchor_field(module)
            names = [f.name for f in module.fields if f == anchor or f.name in REMEMBERED]
            rows = target.store.live_values(module.noun, names)
            columns: dict[str, Sequence[Any]] = {n: [r[n] for r in rows] for n in names}
            if module.noun == "company":
                columns["_org"] = [org_of(r) for r in rows]
                columns["_addr"] = [address_of(r) for r in rows]
            companies = to_ids(columns[anchor.name]) if anchor else []
            known.learn(module, [int(r["id"]) for r in rows], companies, columns)
        return known

    def learn(
        self,
        module: Module,
        ids: Sequence[int],
        companies: Sequence[int | None],
        columns: Mapping[str, Sequence[Any]],
    ) -> None:
        """Add records to what new ones may link to. ``columns``: their values by field name
        (those in :data:`REMEMBERED`; for companies also ``_org`` and ``_addr``)."""
        self.ids.setdefault(module.noun, []).extend(ids)
        index = self.by_company.setdefault(module.noun, {})
        for rid, company in zip(ids, companies, strict=False):
            if company is not None:
                index.setdefault(company, []).append(rid)
        blank = [None] * len(ids)
        if module.noun == "company":
            types = columns.get("account_type") or blank
            self.suppliers += [r for r, t in zip(ids, types, strict=True) if t == "Supplier"]
            self.orgs.update(zip(ids, columns["_org"], strict=True))
            self.addresses.update(zip(ids, columns["_addr"], strict=True))
        elif module.noun == "product":
            names = (str(name or "") for name in columns.get("productname") or blank)
            self.product_names.update(zip(ids, names, strict=True))
        elif not module.crmentity:
            self.user_names.update(str(name or "") for name in columns.get("user_name") or blank)
            status = columns.get("status") or blank
            self.users += [r for r, s in zip(ids, status, strict=True) if s != "Inactive"]


def anchor_field(module: Module) -> Field | None:
    """The field naming the company a record belongs to (a "*" link when none names one)."""
    refs = [f for f in module.fields if f.type is FieldType.REF and f.name not in HEADER]
    company = [f for f in refs if f.ref == "company" and f.name not in SIDE_COMPANIES]
    anywhere = [f for f in refs if f.ref == "*"]
    return next(iter((*company, *anywhere)), None)


def to_ids(values: Sequence[object]) -> list[int | None]:
    return [int(str(v)) if str(v).isdigit() else None for v in values]


def org_of(row: Mapping[str, Any]) -> Org:
    name = str(row.get("accountname") or "")
    short = name
    for suffix in COMPANY_SUFFIXES:
        short = short.removesuffix(suffix)
    return Org(name, short, slug(short))


def address_of(row: Mapping[str, Any]) -> Address:
    phone = str(row.get("phone") or "")
    pattern = phone[:-3] + "###" if phone[-3:].isdigit() else TOWNS[0].phone
    street, street2, city, county, postcode = (
        str(row.get(name) or "") for name in ("street", "bill_street_2", "city", "state", "code")
    )
    return Address(street, street2, city, county, postcode, pattern)
