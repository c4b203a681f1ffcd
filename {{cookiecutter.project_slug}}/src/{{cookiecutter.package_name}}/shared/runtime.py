"""Process-level tuning, applied once the service has started."""

import gc


def freeze_startup_objects() -> None:
    """Exempt everything built at startup from the cyclic garbage collector.

    The app, its routes, schemas and adapters live as long as the process. Left in the
    collector's oldest generation, they are walked again by every full collection, which then
    pauses all requests at once: the slowest responses of a busy service. What it gained when
    measured is in docs/adr/0005-measured-tuning.md.
    """
    gc.collect()  # garbage made while starting goes now, rather than never
    gc.freeze()
