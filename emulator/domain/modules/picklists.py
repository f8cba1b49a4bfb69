"""Picklist values shared by several modules (data-model.md §2).

vtiger's defaults where data-model.md gives them, its **Suggested** values otherwise. Values
marked "emulator choice" are published nowhere; they are plausible defaults, not OpenCRM's.
"""

from __future__ import annotations

SALUTATIONS = ("Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Prof.")

LEAD_SOURCES = (
    "Cold Call",
    "Existing Customer",
    "Self Generated",
    "Employee",
    "Partner",
    "Public Relations",
    "Direct Mail",
    "Conference",
    "Trade Show",
    "Web Site",
    "Word of mouth",
    "Other",
)

LEAD_STATUSES = (
    "Attempted to Contact",
    "Cold",
    "Contact in Future",
    "Contacted",
    "Hot",
    "Junk Lead",
    "Lost Lead",
    "Not Contacted",
    "Pre Qualified",
    "Qualified",
    "Warm",
)

LEAD_TYPES = ("New Business", "Existing Customer", "Partner")

#: vtiger's 31 default industries, alphabetical with "Other" last.
INDUSTRIES = (
    "Apparel",
    "Banking",
    "Biotechnology",
    "Chemicals",
    "Communications",
    "Construction",
    "Consulting",
    "Education",
    "Electronics",
    "Energy",
    "Engineering",
    "Entertainment",
    "Environmental",
    "Finance",
    "Food & Beverage",
    "Government",
    "Healthcare",
    "Hospitality",
    "Insurance",
    "Machinery",
    "Manufacturing",
    "Media",
    "Not For Profit",
    "Recreation",
    "Retail",
    "Shipping",
    "Technology",
    "Telecommunications",
    "Transportation",
    "Utilities",
    "Other",
)

RATINGS = ("Acquired", "Active", "Market Failed", "Project Cancelled", "Shutdown")

CONTACT_TYPES = ("Customer", "Prospect", "Supplier", "Partner", "Other")

ACCOUNT_TYPES = (
    "Analyst",
    "Competitor",
    "Customer",
    "Integrator",
    "Investor",
    "Partner",
    "Press",
    "Prospect",
    "Reseller",
    "Supplier",
    "Other",
)

OWNERSHIPS = (
    "Limited Company",
    "PLC",
    "LLP",
    "Partnership",
    "Sole Trader",
    "Charity",
    "Public Sector",
)

PAYMENT_TYPES = ("Credit Account", "Pro Forma", "Cash")

#: Emulator choice: OpenCRM publishes no credit-status values.
CREDIT_STATUSES = ("Good", "On Hold", "Stopped")

#: The five currency slots (currency_id 1..5, matching listprice1..5); GBP is the base.
CURRENCIES = ("GBP", "EUR", "USD", "AUD", "CAD")

SALES_STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
)

#: Suggested default probability (%) per sales stage.
STAGE_PROBABILITIES = dict(zip(SALES_STAGES, (10, 20, 25, 30, 40, 50, 65, 80, 100, 0), strict=True))

CAMPAIGN_TYPES = (
    "Conference",
    "Webinar",
    "Trade Show",
    "Public Relations",
    "Partners",
    "Referral Program",
    "Advertisement",
    "Banner Ads",
    "Direct Mail",
    "Email",
    "Telemarketing",
    "Others",
)

CAMPAIGN_STATUSES = ("Planning", "Active", "Inactive", "Completed", "Cancelled")

TASK_STATUSES = (
    "Not Started",
    "In Progress",
    "Completed",
    "Pending Input",
    "Deferred",
    "Planned",
)

PROJECT_STATUSES = (
    "Prospecting",
    "Initiated",
    "In Progress",
    "Waiting For Feedback",
    "On Hold",
    "Completed",
    "Delivered",
    "Archived",
)

TICKET_STATUSES = ("Open", "In Progress", "Wait For Response", "Closed")

CONTRACT_STATUSES = ("Undefined", "In Planning", "In Progress", "On Hold", "Complete", "Archived")

USAGE_UNITS = (
    "Box",
    "Carton",
    "Dozen",
    "Each",
    "Hours",
    "Impressions",
    "Lb",
    "M",
    "Pack",
    "Pages",
    "Pieces",
    "Quantity",
    "Reams",
    "Sheet",
    "Spiral Binder",
    "Sq Ft",
)

#: UK VAT classes and their rates in % (data-model.md §4.2, Suggested).
TAX_RATES = {"Standard": 20, "Reduced": 5, "Zero": 0, "Exempt": 0}
TAX_CLASSES = tuple(TAX_RATES)

#: Emulator choice: OpenCRM's supply types and commission bands are configured per system;
#: these are the shipped fixtures/reference.json values (tests/unit/test_fixtures.py checks).
SUPPLY_TYPES = ("Stock", "Non-Stock", "Drop Ship", "Service", "Subscription")
COMMISSION_BANDS = ("None", "Standard", "Enhanced", "Premium")

LOW_NORMAL_HIGH = ("Low", "Normal", "High")
