"""Fixtures of the unit tests: the auth service over in-memory fakes and a controllable clock."""

import pytest

from {{ cookiecutter.package_name }}.domain.auth.service import AuthService

from .auth_fakes import FakePasswordHasher, RecordingAccessStates
from .auth_world import Clock, World
from .fakes import FakeUnitOfWork


@pytest.fixture
def world() -> World:
    return World(FakeUnitOfWork(), FakePasswordHasher(), RecordingAccessStates(), Clock())


@pytest.fixture
def auth(world: World) -> AuthService:
    return world.service()
