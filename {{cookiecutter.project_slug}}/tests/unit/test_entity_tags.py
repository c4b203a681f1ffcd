"""Entity tags and the `If-None-Match` / `If-Match` conditions on them (RFC 9110, 13.1)."""

import pytest

from {{ cookiecutter.package_name }}.api.entity_tags import entity_tag, expected_versions, none_match


def test_a_tag_is_the_quoted_version() -> None:
    assert entity_tag(3) == '"3"'


@pytest.mark.parametrize("header", ['"3"', 'W/"3"', '"1", "3"', ' "2" , W/"3" '])
def test_if_none_match_holding_the_current_tag_fails(header: str) -> None:
    assert none_match(header, 3) is False


@pytest.mark.parametrize("header", ['"2"', '"33"', "3", '"1", "2"'])
def test_if_none_match_without_the_current_tag_holds(header: str) -> None:
    assert none_match(header, 3) is True


def test_if_none_match_star_fails_for_an_existing_item() -> None:
    assert none_match("*", 3) is False


@pytest.mark.parametrize(("header", "versions"), [(None, None), ("*", None), (" * ", None)])
def test_no_if_match_or_a_star_sets_no_version(header: str | None, versions: None) -> None:
    assert expected_versions(header) is versions


@pytest.mark.parametrize(
    ("header", "versions"),
    [
        ('"3"', {3}),
        ('"3", "4"', {3, 4}),
        ('W/"3"', set()),  # strong comparison: a weak tag matches nothing
        ('"abc"', set()),
        ('"²"', set()),
        ("3", set()),
        ('"99999999999999999999999"', set()),
    ],
)
def test_if_match_names_the_versions_it_accepts(header: str, versions: set[int]) -> None:
    assert expected_versions(header) == frozenset(versions)
