"""The per-module reference (``docs/modules.md``), rendered from the registry and the route table.

The registry is the single source for modules and fields, so their documentation is generated,
never written by hand: ``python -m emulator.docs > docs/modules.md`` rewrites the page, and a
test fails when the page and the registry disagree. README's generated blocks (the modules
table, and the settings table from the settings' declarations) are rewritten in place by
``python -m emulator.docs --readme README.md``; ``--settings`` prints the settings table.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from emulator.backend.fixtures import FixtureSet
from emulator.domain.modules import Field, FieldType, Module, Registry, default_registry
from emulator.endpoints.table import EndPoint, api_end_points

INTRO = """\
# Modules and fields

Generated from the module registry by `python -m emulator.docs > docs/modules.md`; do not edit
by hand (a test regenerates it and compares). Custom fields (`cf_NNN`) are those of the shipped
`fixtures/custom_fields.json`.

How to read the field tables:

- **API name**: the key in `get_<m>` and list answers, and the parameter name for `edit_<m>`.
  Edits also accept every alias; names are matched in any case.
- **query_string names**: what `FIELD|OP|VALUE` accepts, in any case: the API name, its aliases,
  and `table.column`. Any of the module's tables (and `crmentity` for the record header) may
  prefix a name, e.g. `contactaddress.lastname`. `crmid` and `id` name the record id.
- **list**: in the basic `get_<m>_list` answer (every field is in `_list_full` and `get_<m>`).
- **keyword**: searched by `keywords`: every word must be a case-insensitive substring of at least
  one keyword field.
- **values**: picklist values (not enforced: the API does no validation), the module a
  reference points at, or `read-only` for fields edits ignore.
"""


def render(registry: Registry) -> str:
    """The whole page, for every module of ``registry``."""
    end_points = api_end_points(registry)
    parts = [INTRO, summary(registry)]
    parts += [module_section(m, registry, end_points.values()) for m in registry]
    return "\n".join(parts)


def summary(registry: Registry) -> str:
    rows = [
        "## Modules\n",
        "| module | `record_module` | end point noun | main table | keyword fields |",
        "|---|---|---|---|---|",
    ]
    for m in registry:
        keywords = ", ".join(f"`{f.name}`" for f in m.keyword_fields)
        rows.append(f"| {title(m)} | `{m.record_module}` | `{m.noun}` | `{m.key}` | {keywords} |")
    return "\n".join(rows) + "\n"


def title(module: Module) -> str:
    return module.display_title


def module_section(module: Module, registry: Registry, end_points: Iterable[EndPoint]) -> str:
    lines = [f"## {title(module)} (`{module.noun}`)\n"]
    lines += list(facts(module, [e for e in end_points if e.module is module]))
    lines += ["", "| API name | type | query_string names | list | keyword | values |"]
    lines.append("|---|---|---|---|---|---|")
    lines += [field_row(f, registry) for f in module.fields]
    return "\n".join(lines) + "\n"


def facts(module: Module, end_points: list[EndPoint]) -> Iterator[str]:
    names = ", ".join(
        f"`{e.name}`" + ("" if e.origin == "guide" else f" ({e.origin})") for e in end_points
    )
    yield f"- End points: {names}"
    yield f"- `record_module`: `{module.record_module}`"
    prefixes = module.tables + (("crmentity",) if module.crmentity else ())
    yield "- Table prefixes for query_string: " + ", ".join(f"`{t}`" for t in prefixes)
    if module.number_field:
        yield (
            f"- Record number: `{module.number_field}`, assigned on create "
            f"(`{module.number_prefix}1`, `{module.number_prefix}2`, ...)"
        )
    if module.sales:
        yield "- Sales record: `get_` answers carry `products` (product lines); edits take them"
    if not module.crmentity:
        yield "- Own id sequence (not a crmid); read-only through the API"


def field_row(field: Field, registry: Registry) -> str:
    names = ", ".join(f"`{n}`" for n in field.query_names())
    cells = [
        f"`{field.name}`",
        field.type.value,
        names,
        "yes" if field.in_list else "",
        "yes" if field.keyword else "",
        values(field, registry),
    ]
    return "| " + " | ".join(cells) + " |"


def values(field: Field, registry: Registry) -> str:
    notes: list[str] = []
    if field.type is FieldType.REF:
        notes.append(f"→ {ref_name(field.ref, registry)}")
    if field.picklist:
        notes.append(", ".join(escape(v) for v in field.picklist))
    if field.read_only:
        notes.append("read-only")
    if field.name.startswith("cf_"):
        notes.append(f"custom field: {escape(field.label)}")
    return "; ".join(notes)


def ref_name(noun: str, registry: Registry) -> str:
    if noun == "*":
        return "any record"
    return title(registry.by_noun(noun))


def escape(text: str) -> str:
    """Table-safe Markdown: a ``|`` would end the cell."""
    return text.replace("|", "\\|")


def shipped_registry() -> Registry:
    """The registry the emulator serves with the shipped fixtures."""
    return default_registry().with_custom_fields(FixtureSet.load().custom_fields)


def readme_blocks() -> dict[str, str]:
    """README's generated blocks by marker name: ``<!-- NAME:start ... -->`` to ``:end``."""
    from emulator.settings import DECLARATIONS
    from emulator.settings.help import readme_table

    return {"modules": summary(shipped_registry()), "settings": readme_table(DECLARATIONS)}


def block(text: str, name: str) -> tuple[int, int]:
    """Where the generated block ``name`` of ``text`` starts and ends (the lines between the
    markers)."""
    start = text.index(f"<!-- {name}:start")
    return text.index("\n", start) + 1, text.index(f"<!-- {name}:end -->")


def rewrite_readme(text: str) -> str:
    for name, body in readme_blocks().items():
        start, end = block(text, name)
        text = text[:start] + body + text[end:]
    return text


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--settings"]:
        print(readme_blocks()["settings"], end="")
    elif args[:1] == ["--readme"] and len(args) == 2:
        path = Path(args[1])
        path.write_text(rewrite_readme(path.read_text(encoding="utf-8")), encoding="utf-8")
    elif not args:
        print(render(shipped_registry()), end="")
    else:
        sys.exit("usage: python -m emulator.docs [--settings | --readme README.md]")


if __name__ == "__main__":
    main()
