"""What each kind of job computes. Read-only, so computing one twice does no harm."""

from uuid import UUID

from ..unit_of_work import UnitOfWork
from .entities import JobKind, JobResult


async def compute_report(kind: JobKind, owner_id: UUID, uow: UnitOfWork) -> JobResult:
    """Inside the caller's unit of work: the report and the job's outcome commit together."""
{%- if cookiecutter.include_example_domain == "y" %}
    if kind is JobKind.ITEMS_REPORT:
        totals = await uow.items.totals(owner_id)
        # A string, as in the API: JSON numbers are floats to most readers.
        return {"item_count": totals.count, "total_price": str(totals.total_price)}
{%- else %}
    if kind is JobKind.SESSIONS_REPORT:
        return {"active_session_count": await uow.refresh_tokens.count_live(owner_id)}
{%- endif %}
    raise ValueError(f"no report for job kind {kind!r}")
