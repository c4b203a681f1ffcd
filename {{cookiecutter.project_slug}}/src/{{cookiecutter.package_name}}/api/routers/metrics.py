"""`GET /metrics`: the Prometheus exposition, for the scraper (no auth; not in the OpenAPI page).

Bind the API where only the scraper and the load balancer reach it, or have the ingress refuse
`/metrics` from outside: the page names every route and how busy it is.
"""

from fastapi import APIRouter, Request, Response

from ..ports import api_dependencies

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    # Prometheus asks for OpenMetrics in its Accept header; the page follows (exemplars included).
    page, content_type = await api_dependencies(request).metrics.render(
        request.headers.get("accept", "")
    )
    return Response(page, media_type=content_type)
