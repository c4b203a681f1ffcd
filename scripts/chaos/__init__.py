"""`make chaos`: the default bake under steady load while its servers fail in turn.

Run from the template's root as `PYTHONPATH=scripts python -m chaos` (what `make chaos` does).
Everything it starts is private (PostgreSQL, two Redis, the API, the worker) on free loopback
ports in a temporary directory, and stopped and removed however the run ends.
"""
