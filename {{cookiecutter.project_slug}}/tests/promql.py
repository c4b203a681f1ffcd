"""The metrics and labels that the PromQL in deploy/ (Grafana dashboards, Prometheus rules) refers
to, checked against the ones the service really exposes.

A reader of PromQL just big enough for those files: it finds each series selector
(`name{label="value"}`) and each grouping label (`by (route)`), and passes over functions,
keywords, numbers, durations and Grafana's `$__variables`. Label names inside strings (the
arguments of `label_replace`) are not followed. Standard library and PyYAML only, so that the
template's own tests can import it from a baked project.
"""

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

# Sample name (`http_requests_total`, `..._bucket`) -> label -> the values it takes, or None
# where any value goes (a route, an instance).
Catalog: TypeAlias = Mapping[str, Mapping[str, frozenset[str] | None]]
_Labels: TypeAlias = dict[str, frozenset[str] | None]

_TOKEN = re.compile(
    r"""
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<range>\[[^\]]*\])            # [5m], [$__rate_interval], [1h:5m]
  | (?P<variable>\$\{?\w+\}?)
  | (?P<number>\d[\w.]*)             # 0.99, 14.4, and durations after `offset`
  | (?P<name>[A-Za-z_:][\w:]*)
  | (?P<operator>==|!=|=~|!~|>=|<=|[-+*/%^=<>@])
  | (?P<symbol>[{}(),])
  | \s+
    """,
    re.VERBOSE,
)
_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"})
_Token: TypeAlias = tuple[str, str]
Matcher: TypeAlias = tuple[str, str, str]  # (label, operator, value)


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: tuple[Matcher, ...]


@dataclass(frozen=True)
class Query:
    source: str  # where a reader finds it: a file and a panel or rule
    expr: str


def _tokens(expr: str) -> list[_Token]:
    return [
        (match.lastgroup, match.group())
        for match in _TOKEN.finditer(expr)
        if match.lastgroup is not None
    ]


def _read_matchers(tokens: list[_Token], start: int) -> tuple[tuple[Matcher, ...], int]:
    """The matchers of `{...}` opening at `start`, and the index after its `}`."""
    matchers: list[Matcher] = []
    i = start + 1
    while tokens[i][1] != "}":
        if tokens[i][1] == ",":
            i += 1
            continue
        (_, label), (_, operator), (_, quoted) = tokens[i : i + 3]
        matchers.append((label, operator, quoted[1:-1]))
        i += 3
    return tuple(matchers), i + 1


def _read_labels(tokens: list[_Token], start: int) -> tuple[list[str], int]:
    """The label names of `(a, b)` opening at `start`, and the index after its `)`."""
    end = next(i for i in range(start, len(tokens)) if tokens[i][1] == ")")
    return [text for kind, text in tokens[start + 1 : end] if kind == "name"], end + 1


def parse(expr: str) -> tuple[list[Selector], set[str]]:
    """The series selectors of `expr`, and the labels it groups or matches on."""
    tokens, i = _tokens(expr), 0
    selectors: list[Selector] = []
    grouping: set[str] = set()
    while i < len(tokens):
        kind, text = tokens[i]
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        if kind == "name" and text.lower() in _GROUPING and following == "(":
            labels, i = _read_labels(tokens, i + 1)
            grouping.update(labels)
        elif kind == "name" and (following in ("(", "by", "without") or text.lower() in _KEYWORDS):
            i += 1  # a function, an aggregation (`sum by (route) (...)`) or a keyword
        elif kind == "name" or text == "{":
            matchers: tuple[Matcher, ...] = ()
            brace = i + 1 if kind == "name" else i
            if brace < len(tokens) and tokens[brace][1] == "{":
                matchers, i = _read_matchers(tokens, brace)
            else:
                i += 1
            names = [value for label, _, value in matchers if label == "__name__"]
            metric = text if kind == "name" else next(iter(names), "")
            rest = tuple(matcher for matcher in matchers if matcher[0] != "__name__")
            selectors.append(Selector(metric, rest))
        else:
            i += 1
    return selectors, grouping


def _load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def rule_files(deploy: Path) -> list[Path]:
    """The rule files Prometheus loads: those its configuration names."""
    config = _load_yaml(deploy / "prometheus.yml")
    return [deploy / name for name in config.get("rule_files", [])]


def scrape_jobs(deploy: Path) -> frozenset[str]:
    config = _load_yaml(deploy / "prometheus.yml")
    return frozenset(job["job_name"] for job in config["scrape_configs"])


def _rules(deploy: Path) -> Iterator[dict[str, Any]]:
    for path in rule_files(deploy):
        for group in _load_yaml(path)["groups"]:
            yield from group["rules"]


def _panels(panels: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))  # the panels inside a collapsed row


def deploy_queries(deploy: Path) -> list[Query]:
    """Every PromQL expression of the rules Prometheus loads and of the Grafana dashboards."""
    queries = [
        Query(f"rule {rule.get('alert') or rule['record']}", rule["expr"])
        for rule in _rules(deploy)
    ]
    for path in sorted((deploy / "grafana/dashboards").glob("*.json")):
        for panel in _panels(json.loads(path.read_text())["panels"]):
            for target in panel.get("targets", []):
                source = f"{path.name}: panel {panel['title']!r}"
                queries.append(Query(source, target["expr"]))
    return queries


def _as_scraped(exposition: Catalog, jobs: frozenset[str]) -> dict[str, _Labels]:
    """What Prometheus stores: the exposition's samples with the labels of the target they were
    scraped from, and `up`, Prometheus's own series of each scrape's outcome."""
    target_labels: _Labels = {"job": jobs, "instance": None}
    catalog = {name: {**labels, **target_labels} for name, labels in exposition.items()}
    catalog["up"] = target_labels
    return catalog


def unknown_references(deploy: Path, exposition: Catalog) -> list[str]:
    """One line per metric, label or label value in deploy/'s PromQL that `exposition` lacks
    (an equality matcher's value is checked where the catalog knows the label's values)."""
    catalog = _as_scraped(exposition, scrape_jobs(deploy))
    for rule in _rules(deploy):
        if "record" in rule:  # a recorded series keeps at most its sources' labels
            sources = [catalog.get(selector.metric, {}) for selector in parse(rule["expr"])[0]]
            catalog[rule["record"]] = {k: v for labels in sources for k, v in labels.items()}
    problems: list[str] = []
    for query in deploy_queries(deploy):
        selectors, grouping = parse(query.expr)
        seen: set[str] = set()
        for selector in selectors:
            labels = catalog.get(selector.metric)
            if labels is None:
                problems.append(f"{query.source}: no metric {selector.metric}")
                continue
            seen.update(labels)
            for label, operator, value in selector.matchers:
                if label not in labels:
                    problems.append(f"{query.source}: {selector.metric} has no label {label}")
                    continue
                values = labels[label]
                if operator == "=" and values is not None and value not in values:
                    problems.append(
                        f"{query.source}: {selector.metric}'s {label} is never {value!r}"
                    )
        problems += [f"{query.source}: no label {label}" for label in sorted(grouping - seen)]
    return problems
