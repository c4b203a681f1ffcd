"""The role table: which permissions each role grants (e2e tests check the endpoints' use)."""

from uuid import uuid4

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
