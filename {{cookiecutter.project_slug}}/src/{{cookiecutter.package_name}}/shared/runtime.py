"""Process-level tuning, applied once the service has started."""

import gc


def freeze_startup_objects() -> None:
    """Exempt everything built at startup from the cyclic garbage collector.

    The app, its routes, schemas and adapters live as long as the process. Left in the
    collector's oldest generation, they are walked again by every full collection, which then
    pauses all requests at once: the slowest responses of a busy service. What it gained when
    measured is in docs/adr/0005-measured-tuning.md.

    No `gc.collect()` first: the collections made while importing leave next to no garbage
    behind (a few dozen objects when measured), and a full collection here would delay the
    first ready answer (the same ADR).
    """
    gc.freeze()
