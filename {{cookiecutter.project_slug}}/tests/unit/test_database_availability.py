"""Which database errors are an outage (a 503 to retry) and which a bug (a 500). The driver's
own failures, from a real server, are in tests/integration/test_database_bounds.py."""

import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from {{ cookiecutter.package_name }}.infrastructure.database.availability import database_unavailable


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "unavailable"),
    [
        ("57P03", True),  # the database system is starting up
        ("57P01", True),  # terminating connection due to administrator command
        ("08006", True),  # connection failure
        ("53300", True),  # too many connections
        ("42P01", False),  # undefined table: a bug, not an outage
        ("57014", False),  # statement timeout: a slow query, answered 500 as before
    ],
)
def test_a_driver_error_is_an_outage_by_its_sqlstate(sqlstate: str, unavailable: bool) -> None:
    error = DBAPIError("SELECT 1", None, DriverError(sqlstate))

    assert database_unavailable(error) is unavailable


def test_a_connection_invalidated_under_a_statement_is_an_outage() -> None:
    error = DBAPIError("SELECT 1", None, Exception("closed"), connection_invalidated=True)

    assert database_unavailable(error)


def test_a_pool_timeout_is_an_outage_and_an_oserror_of_other_code_is_not() -> None:
    assert database_unavailable(PoolTimeoutError("QueuePool limit reached"))
    assert not database_unavailable(ConnectionRefusedError("not raised by the driver"))
    assert not database_unavailable(RuntimeError("a bug"))
