"""The job queue: Celery configured from settings, its tasks, and the outbox relay that feeds it."""
