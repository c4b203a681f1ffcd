"""Every pairwise option combination bakes into a clean, consistent, lint-free project."""

from __future__ import annotations

import ast
import itertools
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from baking import TEMPLATE_DIR
from pairwise import PACKAGE_NAME, PAIRWISE_CASES, PROJECT_SLUG, Case

BakedCase = Callable[[Case], Path]
BIN = Path(sys.executable).parent  # the tools of the template's own virtualenv
# Jinja left unrendered. Not Jinja: GitHub Actions' `${{ }}` expressions, the Go templates of
# Prometheus's alert annotations (`{{ $labels.check }}`) and Grafana's legends (`{{route}}`).
TEMPLATE_SYNTAX = re.compile(r"(?<!\$)\{\{(?!\s*\$|\w+\}\})|\{%|cookiecutter\.")
REPLAY_FILES = {".cruft.json"}
# The example resource by name: its classes (`Item`, `ItemCreate`, `SqlItemRepository`), names
# (`item_id`, `get_item_by_id`), paths (`/api/v1/items`) and strings (the `"items"` table and
# tag, `"items:write"`); its modules are found by `items_module_imports`. Not the English word:
# `dict.items()`, a page's `items` (`page.items`, `Page(items=...)`), `ItemsView`, a lone `item`.
ITEMS_MENTION = re.compile(r"Item(?=[A-Z_]|s?\b)|(?<![A-Za-z])item_\w|/items\b|[\"']items\b")
# The example domain's files, stated here on their own rather than read from the hook's
# PRUNED_WHEN, so that a path dropped from that table shows up as a file left behind.
ITEMS_PATHS = [
    "src/{package}/domain/items",
    "src/{package}/api/routers/items.py",
    "src/{package}/api/schemas/items.py",
    "src/{package}/api/entity_tags.py",
    "src/{package}/infrastructure/database/item_repository.py",
    "tests/unit/test_items_service.py",
    "tests/unit/test_entity_tags.py",
    "tests/unit/test_items_caching.py",
    "tests/e2e/test_items_api.py",
    "tests/e2e/test_item_idempotency.py",
    "tests/e2e/test_item_statement_counts.py",
    "tests/e2e/test_item_listing_api.py",
    "tests/e2e/test_item_etags_api.py",
    "tests/integration/test_item_repository.py",
    "tests/integration/test_item_listing.py",
    "tests/fuzz/hooks.py",
    "bench/items.py",
]
# SPEC section 2, and the make targets the post-gen hook, the CI files and the README call.
SPEC_LAYOUT = [
    "{package_dir}/main.py",
    "{package_dir}/worker.py",
    "{package_dir}/cli.py",
    "{package_dir}/api",
    "{package_dir}/domain",
    "{package_dir}/infrastructure",
    "{package_dir}/shared",
    "migrations/env.py",
    "tests/unit",
    "tests/integration",
    "tests/e2e",
    "docs/architecture.md",
    "docs/adding-a-resource.md",
    "docs/adr",
    "deploy/Dockerfile",
    "deploy/docker-compose.yml",
    "deploy/k8s",
    "pyproject.toml",
    "Makefile",
    ".env.example",
    "alembic.ini",
    ".pre-commit-config.yaml",
    "README.md",
    "LICENSE",
]
MAKE_TARGETS = {"help", "install", "lock", "lint", "test", "migrate", "serve", "worker", "bench"}
# Kubernetes manifests that exist for one `database` answer only: with SQLite the worker and the
# schedule run in the API's pod, beside the one replica that owns the SQLite volume.
K8S_MANIFESTS_OF = {
    "postgresql": [
        "hpa.yaml",
        "worker-deployment.yaml",
        "beat-deployment.yaml",
        "migrate",
        "api-pdb.yaml",
        "worker-pdb.yaml",
    ],
    "sqlite": ["data-volume.yaml"],
}
LICENSE_MARKERS = {
    "MIT": "MIT License",
    "Apache-2.0": "Apache License",
    "Proprietary": "All rights reserved.",
}

each_case = pytest.mark.parametrize("case", PAIRWISE_CASES, ids=lambda case: case.id)


def text_files(project: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(project.rglob("*")):
        if path.is_file() and b"\0" not in (content := path.read_bytes()):
            yield path, content.decode("utf-8")


def items_module_imports(source: str) -> list[int]:
    """The lines of the imports that name an `items` module, however their names are wrapped."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            names = [*(node.module or "").split("."), *(alias.name for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [part for alias in node.names for part in alias.name.split(".")]
        else:
            continue
        if "items" in names:
            lines.append(node.lineno)
    return lines


def items_mentions(project: Path, path: Path) -> list[str]:
    source = path.read_text()
    lines = source.splitlines()
    numbers = {
        *items_module_imports(source),
        *(n for n, line in enumerate(lines, start=1) if ITEMS_MENTION.search(line)),
    }
    return [f"{path.relative_to(project)}:{n}: {lines[n - 1].strip()}" for n in sorted(numbers)]


def run_tool(project: Path, *command: str) -> None:
    completed = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, f"{' '.join(command)}:\n{completed.stdout}{completed.stderr}"


def test_matrix_covers_every_pair_of_answers() -> None:
    questions = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    choices = {name: values for name, values in questions.items() if isinstance(values, list)}
    covered = {
        (first, answers[first], second, answers[second])
        for answers in (case.answers() for case in PAIRWISE_CASES)
        for first, second in itertools.combinations(choices, 2)
    }

    expected = {
        (first, first_answer, second, second_answer)
        for first, second in itertools.combinations(choices, 2)
        for first_answer in choices[first]
        for second_answer in choices[second]
    }

    assert set(PAIRWISE_CASES[0].answers()) == set(choices)
    assert expected - covered == set()


@each_case
def test_layout_is_the_one_the_spec_promises(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    package_dir = f"src/{PACKAGE_NAME}"

    missing = [
        path
        for path in SPEC_LAYOUT
        if not (project / path.format(package_dir=package_dir)).exists()
    ]
    makefile = (project / "Makefile").read_text()
    # `make help` lists the targets with a `## ` comment.
    listed = set(re.findall(r"^([a-z-]+):.*## ", makefile, re.MULTILINE))
    [phony] = re.findall(r"^\.PHONY:(.*)$", makefile, re.MULTILINE)

    assert missing == []
    assert listed >= MAKE_TARGETS
    assert listed <= set(phony.split())


@each_case
def test_no_template_syntax_is_left(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    leftovers = [
        f"{path.relative_to(project)}: {match.group()}"
        for path, text in text_files(project)
        if path.name not in REPLAY_FILES
        for match in TEMPLATE_SYNTAX.finditer(text)
    ]
    names = [str(path) for path in project.rglob("*") if "{" in path.name or "%" in path.name]

    assert leftovers == [], "\n".join(leftovers)
    assert names == []


@each_case
def test_files_of_unchosen_options_are_pruned(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    assert (project / ".github").exists() == (case.ci == "github")
    assert (project / ".gitlab-ci.yml").exists() == (case.ci == "gitlab")
    for pattern in ITEMS_PATHS:
        path = project / pattern.format(package=PACKAGE_NAME)
        assert path.exists() == (case.include_example_domain == "y"), path
    for only_postgresql in ("test_postgresql.py", "test_postgresql_idempotency.py"):
        path = project / "tests/integration" / only_postgresql
        assert path.exists() == (case.database == "postgresql"), path
    for database, manifests in K8S_MANIFESTS_OF.items():
        for manifest in manifests:
            path = project / "deploy/k8s" / manifest
            assert path.exists() == (case.database == database), path
    for database in ("postgresql", "sqlite"):  # the database `make bench` creates
        assert (project / "bench" / f"{database}.py").exists() == (case.database == database)
    assert not (project / "licenses").exists()
    assert LICENSE_MARKERS[case.license] in (project / "LICENSE").read_text()


@pytest.mark.parametrize(
    "case",
    [case for case in PAIRWISE_CASES if case.include_example_domain == "n"],
    ids=lambda case: case.id,
)
def test_without_the_example_domain_no_source_mentions_items(
    case: Case, baked_case: BakedCase
) -> None:
    project = baked_case(case)

    mentions = [
        mention
        for path in sorted([*(project / "src").rglob("*.py"), *(project / "bench").rglob("*.py")])
        for mention in items_mentions(project, path)
    ]

    assert mentions == [], "\n".join(mentions)


ITEMS_RESOURCE_LINES = [
    "from example_service.domain.items import ItemService",
    "from example_service.api.routers import (\n    health,\n    items,\n)",
    "import example_service.domain.items.entities",
    "repository = SqlItemRepository(session)",
    "async def read_item(item_id: UUID) -> ItemOut: ...",
    'router = APIRouter(prefix="/api/v1/items", tags=["items"])',
    "actor = Depends(require('items:write'))",
]
ENGLISH_ITEMS_LINES = [
    "for key, value in headers.items(): ...",
    "class Page(Generic[T]):\n    items: Sequence[T]",
    "page = Page(items=rows, total=total, request=request)",
    "data = [UserOut.model_validate(user) for user in page.items]",
    "from collections.abc import ItemsView",
    "for item in batch: ...",
]


@pytest.mark.parametrize(
    ("source", "is_resource"),
    [(line, True) for line in ITEMS_RESOURCE_LINES]
    + [(line, False) for line in ENGLISH_ITEMS_LINES],
)
def test_items_mentions_are_the_resource_not_the_word(
    source: str, is_resource: bool, tmp_path: Path
) -> None:
    path = tmp_path / "module.py"
    path.write_text(source)

    assert bool(items_mentions(tmp_path, path)) == is_resource


@each_case
def test_python_files_compile(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    sources = sorted(project.rglob("*.py"))

    assert sources
    for source in sources:
        compile(source.read_text(), str(source), "exec", dont_inherit=True)


@each_case
def test_yaml_files_parse(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    documents = [
        document
        for path in sorted(project.rglob("*.y*ml"))
        for document in yaml.safe_load_all(path.read_text())
    ]

    assert documents
    assert all(isinstance(document, dict) for document in documents)


@each_case
def test_pyproject_follows_the_answers(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    version = case.python_version

    assert pyproject["project"]["name"] == PROJECT_SLUG
    assert pyproject["project"]["requires-python"].replace(" ", "") == f">={version}"
    assert pyproject["tool"]["ruff"]["target-version"] == f"py{version.replace('.', '')}"
    assert pyproject["tool"]["mypy"]["python_version"] == version
    assert pyproject["project"].get("license") == (
        None if case.license == "Proprietary" else case.license
    )
    dependencies = " ".join(pyproject["project"]["dependencies"])
    assert ("asyncpg" in dependencies) == (case.database == "postgresql")


@each_case
def test_baked_project_passes_ruff(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    run_tool(project, str(BIN / "ruff"), "check", "--no-cache", ".")
    run_tool(project, str(BIN / "ruff"), "format", "--check", "--no-cache", ".")


@each_case
def test_pre_commit_config_is_valid(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)

    run_tool(project, str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml")


def ci_services(project: Path, ci: str) -> set[str]:
    """The servers the CI file starts beside the job."""
    if ci == "github":
        workflow = yaml.safe_load((project / ".github/workflows/ci.yml").read_text())
        return set(workflow["jobs"]["check"]["services"])
    if ci == "gitlab":
        pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        return {image.split(":")[0] for image in pipeline["check"]["services"]}
    return set()


@pytest.mark.parametrize(
    "case", [case for case in PAIRWISE_CASES if case.ci != "none"], ids=lambda case: case.id
)
def test_ci_starts_the_servers_the_answers_need(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    expected = {"redis"}
    if case.database == "postgresql":
        expected.add("postgres")
    if case.broker == "rabbitmq":
        expected.add("rabbitmq")

    assert ci_services(project, case.ci) == expected


@each_case
def test_ci_file_matches_its_schema(case: Case, baked_case: BakedCase) -> None:
    project = baked_case(case)
    schema_of = {
        ".github/workflows/ci.yml": "vendor.github-workflows",
        ".gitlab-ci.yml": "vendor.gitlab-ci",
    }

    present = {name: schema for name, schema in schema_of.items() if (project / name).exists()}

    assert len(present) == (0 if case.ci == "none" else 1)
    for name, schema in present.items():
        run_tool(project, str(BIN / "check-jsonschema"), "--builtin-schema", schema, name)
