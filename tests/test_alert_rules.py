"""The baked Prometheus rules: promtool accepts them and their unit tests pass, every alert is
tested both ways, and every alert links its runbook section in docs/operations.md (SPEC section 7).

promtool must be installed (`scripts/ensure-promtool.sh`, which `make test` runs): without it
these tests fail, they never skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from pairwise import PAIRWISE_CASES, Case

BakedCase = Callable[[Case], Path]
DEFAULTS = PAIRWISE_CASES[0]
ALERT_TESTS = ("deploy/prometheus/alerts.test.yml", "deploy/prometheus/slow-burn.test.yml")

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def promtool(project: Path, *arguments: str) -> None:
    executable = shutil.which("promtool")
    assert executable, "promtool is not installed: run scripts/ensure-promtool.sh (as root)"
    checked = subprocess.run(
        [executable, *arguments], cwd=project, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def alerts(project: Path) -> list[dict[str, Any]]:
    groups = load_yaml(project / "deploy/prometheus/alerts.yml")["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def github_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped."""
    headings = re.findall(r"^#+ (.+)$", markdown, flags=re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading).strip().lower().replace(" ", "-") for heading in headings
    }


@each_case
def test_promtool_accepts_the_configuration_and_its_rules(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)

    promtool(project, "check", "config", "deploy/prometheus.yml")  # and the rule files it names
    promtool(project, "check", "rules", "deploy/prometheus/recording-rules.yml")
    promtool(project, "check", "rules", "deploy/prometheus/alerts.yml")


def test_promtool_unit_tests_of_the_alerts_pass(baked_case: BakedCase) -> None:
    # The rule files are the same whatever the answers: the defaults stand for every case.
    promtool(baked_case(DEFAULTS), "test", "rules", *ALERT_TESTS)


def test_every_alert_fires_in_a_test_and_stays_quiet_in_another(baked_case: BakedCase) -> None:
    project = baked_case(DEFAULTS)
    checks = [
        check
        for path in ALERT_TESTS
        for test in load_yaml(project / path)["tests"]
        for check in test.get("alert_rule_test", [])
    ]

    names = {rule["alert"] for rule in alerts(project)}
    assert {check["alertname"] for check in checks if check["exp_alerts"]} == names
    assert {check["alertname"] for check in checks if not check["exp_alerts"]} == names


def test_every_alert_links_its_runbook_section(baked_case: BakedCase) -> None:
    project = baked_case(DEFAULTS)
    anchors = github_anchors((project / "docs/operations.md").read_text())

    for rule in alerts(project):
        annotations = rule["annotations"]
        assert annotations["summary"]
        assert annotations["description"]
        page, anchor = annotations["runbook_url"].split("#")
        assert page == "docs/operations.md"
        assert anchor == rule["alert"].lower()
        assert anchor in anchors, f"{rule['alert']}: no section #{anchor} in docs/operations.md"
        assert rule["labels"]["severity"] in {"page", "ticket"}
    assert "docs/operations.md" in (project / "README.md").read_text()
