"""What can go wrong with jobs, in the domain's words."""

from uuid import UUID

from ..errors import NotFoundError


class JobNotFoundError(NotFoundError):
    code = "job-not-found"

    def __init__(self, job_id: UUID) -> None:
        super().__init__(f"Job {job_id} does not exist.")
