"""Who may do what: the one table that maps each role to the permissions it grants, and the
permissions an administrator may grant a service client.

Endpoints declare the permission they need (`Authorize(user_service, Permission.USERS_READ)`,
in api/deps.py); nothing else asks which role a user has. Adding a permission is three steps:
name it in `Permission`, grant it to roles in `ROLE_PERMISSIONS`, declare it on the endpoint
(docs/auth.md walks through them).
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class Role(StrEnum):
    ADMIN = "admin"
    USER = "user"


class Permission(StrEnum):
    """`<resource>:<action>`; a trailing `:any` extends the action to other users' resources."""

    USERS_READ = "users:read"
    USERS_WRITE = "users:write"
    JOBS_CREATE = "jobs:create"
    JOBS_READ_ANY = "jobs:read:any"
    AUDIT_READ = "audit:read"
    SERVICE_CLIENTS_WRITE = "service_clients:write"
{%- if cookiecutter.include_example_domain == "y" %}
    ITEMS_READ = "items:read"
    ITEMS_WRITE = "items:write"
    ITEMS_READ_ANY = "items:read:any"
    ITEMS_WRITE_ANY = "items:write:any"
{%- endif %}


ROLE_PERMISSIONS: Final[Mapping[Role, frozenset[Permission]]] = {
    Role.USER: frozenset(
        {
{%- if cookiecutter.include_example_domain == "y" %}
            Permission.ITEMS_READ,
            Permission.ITEMS_WRITE,
{%- endif %}
            Permission.JOBS_CREATE,
        }
    ),
    # Administrators hold every permission, including ones added later.
    Role.ADMIN: frozenset(Permission),
}


# What a service client (domain/service_clients) may be granted. A list of what is allowed, so
# that a permission added later is not grantable until someone decides it should be. Left out:
# creating things (`items:write`, `jobs:create`), since what is made needs an owning user, and
# `service_clients:write`, so that a leaked client secret cannot mint itself new clients.
CLIENT_GRANTABLE: Final[frozenset[Permission]] = frozenset(
    {
        Permission.USERS_READ,
        Permission.AUDIT_READ,
{%- if cookiecutter.include_example_domain == "y" %}
        Permission.ITEMS_READ,
        Permission.ITEMS_READ_ANY,
{%- endif %}
    }
)
