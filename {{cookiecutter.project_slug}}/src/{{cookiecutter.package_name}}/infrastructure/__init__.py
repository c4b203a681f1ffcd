"""Adapters: the domain's ports implemented with real technology (SQLAlchemy, Redis, ...)."""
