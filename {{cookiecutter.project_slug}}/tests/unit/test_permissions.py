"""The role table, and the permission check of the `Authorize` dependency built on it."""

from uuid import uuid4

import pytest

from {{ cookiecutter.package_name }}.api.deps import user_service
from {{ cookiecutter.package_name }}.api.security import Authorize
from {{ cookiecutter.package_name }}.domain.actor import Actor
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


def test_authorize_permits_an_actor_whose_role_grants_the_permission() -> None:
    assert Authorize(user_service, "users:read").permits(ADMIN)


def test_authorize_refuses_an_actor_without_the_permission() -> None:
    assert not Authorize(user_service, "users:write").permits(USER)


def test_authorize_without_a_permission_permits_any_signed_in_actor() -> None:
    assert Authorize(user_service).permits(USER)


def test_a_misspelt_permission_fails_at_declaration() -> None:
    with pytest.raises(ValueError, match="users:raed"):
        Authorize(user_service, "users:raed")
