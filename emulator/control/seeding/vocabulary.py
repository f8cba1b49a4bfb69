"""The vocabulary seed data is drawn from: Faker en_GB pools and a few hand-written UK tables.

Faker is slow per call (5-20 us) and its en_GB lorem, towns and company names do not look like a
UK CRM ("South Matthew", "Pearce Inc", Latin sentences), so Faker supplies people's names, jobs,
street names and codes, built once per seed into :class:`Pools`; towns, trades, products and
the phrases that make subjects and notes are written here. Seed data draws from these pools
with its own seeded ``random.Random``, so the pools are the only place Faker runs.

Phone numbers and e-mail domains are fictional on purpose: Ofcom's drama ranges
(``0113 496 0xxx``, ``07700 900xxx``) and ``example.co.uk`` subdomains, as the fixtures use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from faker import Faker


class Town(NamedTuple):
    name: str
    county: str
    area: str  # postcode area
    phone: str  # a landline number, ### standing for three digits


TOWNS = tuple(
    Town(*row.split("|"))
    for row in """Leeds|West Yorkshire|LS|0113 496 0###
Sheffield|South Yorkshire|S|0114 496 0###
Nottingham|Nottinghamshire|NG|0115 496 0###
Leicester|Leicestershire|LE|0116 496 0###
Bristol|Bristol|BS|0117 496 0###
Reading|Berkshire|RG|0118 496 0###
Birmingham|West Midlands|B|0121 496 0###
Edinburgh|Midlothian|EH|0131 496 0###
Glasgow|Lanarkshire|G|0141 496 0###
Liverpool|Merseyside|L|0151 496 0###
Manchester|Greater Manchester|M|0161 496 0###
Newcastle upon Tyne|Tyne and Wear|NE|0191 498 0###
London|Greater London|EC|020 7946 0###
Cardiff|South Glamorgan|CF|029 2018 0###
Belfast|County Antrim|BT|028 9018 0###
York|North Yorkshire|YO|01904 960 ###
Harrogate|North Yorkshire|HG|01423 960 ###
Ely|Cambridgeshire|CB|01353 960 ###
Cambridge|Cambridgeshire|CB|01223 960 ###
Norwich|Norfolk|NR|01603 960 ###
Ipswich|Suffolk|IP|01473 960 ###
Exeter|Devon|EX|01392 960 ###
Plymouth|Devon|PL|01752 960 ###
Truro|Cornwall|TR|01872 960 ###
Bath|Somerset|BA|01225 960 ###
Oxford|Oxfordshire|OX|01865 960 ###
Milton Keynes|Buckinghamshire|MK|01908 960 ###
Northampton|Northamptonshire|NN|01604 960 ###
Brighton|East Sussex|BN|01273 960 ###
Canterbury|Kent|CT|01227 960 ###
Guildford|Surrey|GU|01483 960 ###
Chester|Cheshire|CH|01244 960 ###
Preston|Lancashire|PR|01772 960 ###
Carlisle|Cumbria|CA|01228 960 ###
Lincoln|Lincolnshire|LN|01522 960 ###
Derby|Derbyshire|DE|01332 960 ###
Hull|East Riding of Yorkshire|HU|01482 960 ###
Stoke-on-Trent|Staffordshire|ST|01782 960 ###
Shrewsbury|Shropshire|SY|01743 960 ###
Worcester|Worcestershire|WR|01905 960 ###
Gloucester|Gloucestershire|GL|01452 960 ###
Swansea|West Glamorgan|SA|01792 960 ###
Aberdeen|Aberdeenshire|AB|01224 960 ###
Dundee|Angus|DD|01382 960 ###
Inverness|Inverness-shire|IV|01463 960 ###""".splitlines()
)
MOBILE = "07700 900###"
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREET_KINDS = (
    "Street", "Road", "Lane", "Avenue", "Close", "Way", "Drive", "Place", "Crescent", "Gardens",
    "Terrace", "Court", "Row", "Walk", "Grove",
)  # fmt: skip
STREETS = (
    "High Street", "Station Road", "Church Lane", "Mill Lane", "London Road", "Victoria Street",
    "Queen Street", "Market Place", "Park Road", "King Street", "The Green", "Bridge Street",
)  # fmt: skip
SITES = ("Business Park", "Industrial Estate", "Trading Estate", "Enterprise Centre", "Quay")
SECOND_LINES = ("Suite {n}", "Floor {n}", "Unit {n}", "Building {n}", "Office {n}")

#: Company name = stem (a surname or a place) + trade + suffix: "Harrowgate Digital Ltd".
TRADES = (
    "Digital", "Engineering", "Logistics", "Foods", "Joinery", "Consulting", "Systems",
    "Print", "Motors", "Construction", "Solutions", "Analytics", "Veterinary Group", "Dental Care",
    "Accountancy", "Legal", "Recruitment", "Catering", "Electrical", "Plumbing and Heating",
    "Architects", "Marketing", "Haulage", "Landscapes", "Interiors", "Pharmacy", "Brewing Co",
    "Textiles", "Packaging", "Security", "Software", "Training", "Estates", "Healthcare",
)  # fmt: skip
PLACE_STEMS = (
    "Harrowgate", "Fenland", "Severn Valley", "Pennine", "Northgate", "Kestrel", "Old Mill",
    "Cotswold", "Wessex", "Mercia", "Thames", "Humber", "Chiltern", "Dales", "Solent",
    "Tyne", "Clyde", "Mendip", "Malvern", "Peak District", "Broadland", "Medway", "Wolds",
)  # fmt: skip
SUFFIXES = ("Ltd", "Ltd", "Ltd", "Ltd", "PLC", "LLP", "& Co", "Group", "Ltd")
DEPARTMENTS = ("Sales", "Accounts", "Operations", "IT", "Management", "Marketing", "Purchasing")


class Item(NamedTuple):
    """A kind of catalogue product: its name, category, price range and brands."""

    kind: str
    code: str
    category: str  # a product picklist value
    low: int
    high: int
    brands: tuple[str, ...]


_HW = ("Dell", "HP", "Lenovo", "Acer", "Asus")
CATALOGUE = (
    Item("Laptop", "LAP", "Hardware", 450, 2200, _HW),
    Item("Desktop PC", "DSK", "Hardware", 400, 1500, _HW),
    Item("27in Monitor", "MON", "Hardware", 140, 600, ("Dell", "Samsung", "LG", "Iiyama")),
    Item("Docking Station", "DOC", "Hardware", 90, 280, ("Dell", "Lenovo", "StarTech")),
    Item("Network Switch 24-port", "SWI", "Hardware", 180, 1400, ("Cisco", "Netgear", "HPE")),
    Item("Wireless Access Point", "WAP", "Hardware", 90, 450, ("Ubiquiti", "Cisco", "TP-Link")),
    Item("Firewall Appliance", "FWL", "Hardware", 400, 3000, ("Fortinet", "Sophos", "WatchGuard")),
    Item("UPS 1500VA", "UPS", "Hardware", 250, 900, ("APC", "Eaton", "CyberPower")),
    Item("NAS 4-bay", "NAS", "Hardware", 300, 1200, ("Synology", "QNAP")),
    Item("Laser Printer", "PRN", "Hardware", 150, 900, ("Brother", "HP", "Kyocera")),
    Item("Headset", "HED", "Hardware", 40, 250, ("Jabra", "Poly", "Logitech")),
    Item("Webcam", "CAM", "Hardware", 45, 180, ("Logitech", "Microsoft")),
    Item("Rack Server", "SRV", "Hardware", 1800, 9000, ("Dell", "HPE", "Lenovo")),
    Item("Business Licence (annual)", "LIC", "Software", 60, 300, ("Microsoft", "Adobe")),
    Item("Endpoint Protection (1 year)", "AVS", "Software", 20, 70, ("Sophos", "ESET")),
    Item("Backup Software", "BAK", "Software", 80, 900, ("Veeam", "Acronis")),
    Item("Accounting Software", "ACC", "Software", 150, 1200, ("Sage", "Xero")),
    Item("CRM User Licence (annual)", "CRM", "CRM Applications", 180, 720, ("OpenCRM",)),
    Item("CRM Implementation Day", "IMP", "CRM Applications", 550, 950, ("OpenCRM",)),
    Item("CRM Training Session", "TRN", "CRM Applications", 300, 800, ("OpenCRM",)),
)

#: What deals, quotes and projects are about: "<company> - <topic>".
TOPICS = (
    "laptop refresh", "server migration", "Microsoft 365 roll-out", "network upgrade",
    "CRM roll-out", "printer replacement", "backup and recovery", "firewall renewal",
    "Wi-Fi survey and install", "annual licence renewal", "new office fit-out",
    "managed support", "cyber security review", "VoIP telephony", "data centre move",
    "hardware maintenance", "desk phone replacement", "remote working kit", "CCTV upgrade",
)  # fmt: skip
PURCHASES = ("stock replenishment", "laptop order", "monitor order", "licence purchase",
             "spares order", "customer drop-ship", "network kit")  # fmt: skip
CONTRACT_KINDS = (
    "managed IT support", "hardware maintenance", "software assurance", "CRM support",
    "backup monitoring", "on-site support", "cloud hosting",
)  # fmt: skip
ACTIVITY_VERBS = (
    "Call", "Follow up with", "Meeting with", "Send quote to", "Demo for", "Quarterly review with",
    "Chase payment from", "Site visit to", "Email proposal to", "Confirm delivery with",
)  # fmt: skip
TICKET_TITLES = (
    "Printer not connecting to the network", "Cannot log in to the portal",
    "Laptop will not boot", "Outlook keeps asking for password", "VPN drops every few minutes",
    "New starter needs an account", "Docking station not charging laptop",
    "Slow Wi-Fi in meeting room", "Invoice shows the wrong VAT", "Backup job failed overnight",
    "Monitor flickering", "Phone system down at branch", "Licence renewal query",
    "Request for additional user licence", "Email bounced from customer domain",
    "Shared drive not mapping", "Software update failed", "Password reset request",
)  # fmt: skip
CAMPAIGN_EVENTS = (
    "Spring Newsletter", "UK Tech Expo", "Cyber Essentials Webinar", "Black Friday Offers",
    "Customer Survey", "Partner Roadshow", "Trade Show Follow-up", "Summer Promotion",
    "Year-end Licence Renewals", "Product Launch", "Customer Appreciation Event",
)  # fmt: skip
AUDIENCES = ("Existing customers", "SMEs in the North", "IT managers", "Finance directors",
             "Lapsed customers", "Partners and resellers", "Public sector buyers")  # fmt: skip
NOTES = (
    "Customer asked for a call back next week.", "Pricing agreed in principle; awaiting PO.",
    "Prefers contact by email.", "Decision expected at the next board meeting.",
    "Budget approved for this financial year.", "Comparing us with two other suppliers.",
    "Delivery to the rear entrance, before 4pm.", "Needs sign-off from the finance director.",
    "Happy with the last installation.", "Asked for references from similar businesses.",
    "Renewal due in the spring.", "Wants everything on one invoice.",
    "Raised through the support portal.", "Contact is on leave until Monday.",
)  # fmt: skip
NEXT_STEPS = (
    "Send revised quote", "Book site survey", "Arrange demo", "Chase for decision",
    "Schedule delivery and imaging", "Agree contract terms", "Confirm budget",
)  # fmt: skip
SOLUTIONS = (
    "Reinstalled the driver and tested a print.", "Reset the password and enabled MFA.",
    "Replaced the faulty power supply.", "Updated firmware to the latest release.",
    "Re-ran the backup job manually; completed.", "Reconfigured the VPN profile.",
    "Advised the customer; no fault found.",
)  # fmt: skip
TERMS = (
    "Payment within 30 days of invoice.", "Goods remain our property until paid in full.",
    "Prices exclude VAT and delivery unless stated.", "Quote valid for 30 days.",
    "Installation is charged per day at the agreed rate.",
)  # fmt: skip
TAGS = ("key account", "hardware", "software", "renewal", "priority", "newsletter", "expo",
        "public sector", "partner", "referral", "upsell")  # fmt: skip
SUBSCRIPTIONS = ("Newsletter", "Product Updates", "Events", "Offers")
WORDS = ("North", "South", "Central", "East", "West", "Midlands", "Scotland", "Wales", "Online")


@dataclass(frozen=True)
class Pools:
    """Values Faker makes, once per seed: people, jobs, street names and codes."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    jobs: tuple[str, ...]
    street_names: tuple[str, ...]
    stems: tuple[str, ...]  # company-name stems: surnames and places
    codes: tuple[str, ...]  # 8-digit codes (part numbers, tag numbers)
    serials: tuple[str, ...]  # 13-digit codes (serial and tracking numbers)
    passwords: tuple[str, ...]


@cache
def pools(seed: int, size: int = 600) -> Pools:
    """The Faker pools of ``seed`` (cached: built once per seed and process)."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    last_names = unique(fake.last_name() for _ in range(size))
    return Pools(
        first_names=unique(fake.first_name() for _ in range(size)),
        last_names=last_names,
        jobs=unique(fake.job() for _ in range(size // 2)),
        street_names=unique(fake.last_name() for _ in range(size // 2)),
        stems=(*PLACE_STEMS, *last_names[: size // 2]),
        codes=tuple(fake.ean8() for _ in range(size)),
        serials=tuple(fake.ean13() for _ in range(size)),
        passwords=tuple(fake.password(length=12) for _ in range(size // 4)),
    )


def unique(values: Iterable[str]) -> tuple[str, ...]:
    """The distinct values, in first-drawn order."""
    return tuple(dict.fromkeys(values))
