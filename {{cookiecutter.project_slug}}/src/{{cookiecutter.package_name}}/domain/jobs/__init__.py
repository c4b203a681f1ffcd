"""Background jobs: accepted by the API, run by the worker, their state kept in the database."""
