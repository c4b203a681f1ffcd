"""HTTP only: routers, schemas, dependencies, middleware and the problem-details handlers."""
