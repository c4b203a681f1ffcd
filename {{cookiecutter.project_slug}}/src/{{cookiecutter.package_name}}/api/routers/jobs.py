"""`/api/v1/jobs`: ask for work the worker does, and see how it went."""

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from ...domain.jobs.entities import Job
from ...domain.jobs.service import JobService
from ..deps import JobCreator, JobViewer
from ..idempotency import idempotent_responses, json_response
from ..problems import problem_docs
from ..schemas.jobs import JobCreate, JobOut

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"], responses=problem_docs(401, 422, 429))


@router.post(
    "",
    response_model=JobOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        **idempotent_responses(202, "Where to see how the job goes"),
        **problem_docs(403),
    },
)
async def create_job(body: JobCreate, caller: JobCreator, request: Request) -> Response:
    """Accepted, not done: the job runs in the worker; poll its `Location` for the outcome."""

    async def create(jobs: JobService) -> Response:
        job = await jobs.create(caller.actor, body.kind)
        location = request.app.url_path_for("read_job", job_id=str(job.id))
        return json_response(JobOut.model_validate(job), status.HTTP_202_ACCEPTED, location)

    return await caller.respond(request, body, create)


@router.get("/{job_id}", response_model=JobOut, responses=problem_docs(404))
async def read_job(job_id: UUID, caller: JobViewer) -> Job:
    return await caller.service.get(caller.actor, job_id)
