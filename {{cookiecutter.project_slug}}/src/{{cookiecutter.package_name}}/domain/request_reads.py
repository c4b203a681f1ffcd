"""The cached reads of one request, gathered so that an adapter can answer them together.

As the unit of work gathers the repositories of one transaction, this gathers the caches of one
request. With Redis, the lookups of all of them share one round trip: a route announces what it
will read (a cache's `prefetch(id)`) before authentication runs, and authentication's lookup
fetches everything announced so far (docs/caching.md). A new one is made for every request.
"""

from typing import Protocol

from .auth.ports import AccessStates
{%- if cookiecutter.include_example_domain == "y" %}
from .items.ports import ItemCache
{%- endif %}


class RequestReads(Protocol):
    @property
    def access_states(self) -> AccessStates: ...
{%- if cookiecutter.include_example_domain == "y" %}

    @property
    def items(self) -> ItemCache: ...
{%- endif %}
