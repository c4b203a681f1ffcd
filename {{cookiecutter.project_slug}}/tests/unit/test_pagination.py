"""Page requests refuse what the API would never send."""

import pytest

from {{ cookiecutter.package_name }}.domain.pagination import PageRequest


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (101, 0), (10, -1)])
def test_out_of_range_page_requests_are_refused(limit: int, offset: int) -> None:
    with pytest.raises(ValueError, match="invalid page request"):
        PageRequest(limit=limit, offset=offset)


def test_defaults_are_the_first_twenty() -> None:
    assert PageRequest() == PageRequest(limit=20, offset=0)
