"""`/api/v1/jobs`: ask for work the worker does, and see how it went."""

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from ...domain.jobs.entities import Job
from ..deps import JobCreator, JobViewer
from ..problems import location_header, problem_docs
from ..schemas.jobs import JobCreate, JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"], responses=problem_docs(401, 422))


@router.post(
    "",
    response_model=JobOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        202: {"headers": {"Location": location_header("Where to see how the job goes")}},
        **problem_docs(403),
    },
)
async def create_job(
    body: JobCreate, caller: JobCreator, request: Request, response: Response
) -> Job:
    """Accepted, not done: the job runs in the worker; poll its `Location` for the outcome."""
    job = await caller.service.create(caller.actor, body.kind)
    response.headers["Location"] = request.app.url_path_for("read_job", job_id=str(job.id))
    return job


@router.get("/{job_id}", response_model=JobOut, responses=problem_docs(404))
async def read_job(job_id: UUID, caller: JobViewer) -> Job:
    return await caller.service.get(caller.actor, job_id)
