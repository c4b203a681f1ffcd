"""Persistence with async SQLAlchemy 2: engine, tables, repositories and the unit of work."""
