"""Caching and shared counters: Redis in server mode, an in-process store in embedded mode."""
