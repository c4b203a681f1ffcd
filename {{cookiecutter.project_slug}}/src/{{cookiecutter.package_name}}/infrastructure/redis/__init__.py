"""Redis, as every part of the service reaches it: one client per process, behind one guard."""
