"""What the run adds to its private database to watch the jobs: a trigger that records every
move of a job to a final state (committed with the move, or rolled back with it), and a flag
that makes that move slow, so that a worker can be killed while it is in the middle of a task.
"""

from .servers import PrivatePostgres

FINAL = ("succeeded", "failed")
INSTRUMENT = """
CREATE TABLE chaos_job_outcomes (job_id uuid NOT NULL, status text NOT NULL,
                                 at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE chaos_flags (name text PRIMARY KEY);
CREATE FUNCTION chaos_record_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('succeeded', 'failed') AND (OLD.status IS DISTINCT FROM NEW.status
      OR OLD.finished_at IS DISTINCT FROM NEW.finished_at) THEN
    IF EXISTS (SELECT 1 FROM chaos_flags WHERE name = 'slow finish') THEN
      PERFORM pg_sleep(2);  -- below the service's 3 s statement timeout
    END IF;
    INSERT INTO chaos_job_outcomes (job_id, status) VALUES (NEW.id, NEW.status);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER chaos_record_outcome BEFORE UPDATE ON jobs
  FOR EACH ROW EXECUTE FUNCTION chaos_record_outcome();
"""


class JobLedger:
    def __init__(self, database: PrivatePostgres) -> None:
        self._database = database

    def install(self) -> None:
        self._database.sql(INSTRUMENT)

    def slow_finishes(self, slow: bool) -> None:
        if slow:
            self._database.sql("INSERT INTO chaos_flags VALUES ('slow finish')")
        else:
            self._database.sql("DELETE FROM chaos_flags")

    def running(self) -> list[str]:
        return self._database.sql("SELECT id FROM jobs WHERE status = 'running'").split()

    def unfinished(self) -> int:
        unfinished = "SELECT count(*) FROM jobs WHERE status NOT IN ('succeeded', 'failed')"
        return int(self._database.sql(unfinished))

    def statuses(self) -> dict[str, str]:
        return dict(_rows(self._database.sql("SELECT id, status FROM jobs")))

    def outcome_counts(self) -> dict[str, int]:
        counts = "SELECT job_id, count(*) FROM chaos_job_outcomes GROUP BY job_id"
        rows = _rows(self._database.sql(counts))
        return {job_id: int(count) for job_id, count in rows}

    def item_names(self) -> dict[str, str]:
        return dict(_rows(self._database.sql("SELECT id, name FROM items")))

    def pending_outbox(self) -> int:
        return int(
            self._database.sql(
                "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL AND dead_at IS NULL"
            )
        )


def _rows(output: str) -> list[tuple[str, str]]:
    return [tuple(line.split("|", 1)) for line in output.splitlines() if line]  # type: ignore[misc]
