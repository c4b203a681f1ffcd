"""The role table and the `require()` dependency built on it."""

from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.api.security import require
from {{ cookiecutter.package_name }}.domain.actor import Actor
from {{ cookiecutter.package_name }}.domain.errors import PermissionDeniedError
from {{ cookiecutter.package_name }}.domain.permissions import ROLE_PERMISSIONS, Permission, Role

USER = Actor(user_id=uuid4(), role=Role.USER)
ADMIN = Actor(user_id=uuid4(), role=Role.ADMIN)


def test_every_role_has_a_row() -> None:
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_an_admin_holds_every_permission() -> None:
    assert all(ADMIN.may(permission) for permission in Permission)


def test_a_user_works_on_their_own_things_only() -> None:
    granted = {permission.value for permission in Permission if USER.may(permission)}

    assert granted == {
{%- if cookiecutter.include_example_domain == "y" %}
        "items:read",
        "items:write",
{%- endif %}
        "jobs:create",
    }


def test_permission_names_follow_resource_action() -> None:
    for permission in Permission:
        resource, action, *scope = permission.value.split(":")
        assert resource.isidentifier()
        assert action in {"read", "write", "create"}
        assert scope in ([], ["any"])


def test_ownership_is_by_user_id() -> None:
    assert USER.owns(USER.user_id)
    assert not USER.owns(ADMIN.user_id)


async def test_require_lets_a_permitted_actor_through() -> None:
    assert await require("users:read")(ADMIN) == ADMIN


async def test_require_refuses_an_actor_without_the_permission() -> None:
    with pytest.raises(PermissionDeniedError, match="users:write"):
        await require("users:write")(USER)


def test_a_misspelt_permission_fails_at_declaration() -> None:
    with pytest.raises(ValueError, match="users:raed"):
        require("users:raed")
