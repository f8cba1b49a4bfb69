"""docs/modules.md is generated from the registry; these tests keep the two in step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from emulator.docs import render, shipped_registry

PAGE = Path(__file__).resolve().parents[2] / "docs" / "modules.md"
REGENERATE = "python -m emulator.docs > docs/modules.md"


def test_docs_modules_md_is_what_the_registry_renders() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(shipped_registry()), (
        f"docs/modules.md is out of date: run `{REGENERATE}`"
    )


def test_the_page_documents_every_module_field_and_end_point() -> None:
    page = render(shipped_registry())
    for module in shipped_registry():
        assert f"(`{module.noun}`)" in page
        assert f"`record_module`: `{module.record_module}`" in page
        for field in module.fields:
            assert f"| `{field.name}` | {field.type.value} |" in page
    for name in ("get_contact_list_full", "edit_helpdesk", "edit_contracts", "get_user_details"):
        assert f"`{name}`" in page


def test_python_m_emulator_docs_prints_the_page() -> None:
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "emulator.docs"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout == render(shipped_registry())


def test_the_readme_module_table_matches_the_registry() -> None:
    from emulator.docs import shipped_registry, summary

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- modules:start")
    table = readme[readme.index("\n", start) + 1 : readme.index("<!-- modules:end -->")]
    assert table == summary(shipped_registry())


def test_the_readme_documents_every_setting() -> None:
    from emulator.settings import SETTING_NAMES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SETTING_NAMES if f"`{name}`" not in readme]
    assert missing == []
