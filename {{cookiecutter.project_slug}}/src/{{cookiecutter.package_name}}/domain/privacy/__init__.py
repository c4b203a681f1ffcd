"""Privacy: a user's right to their data (export) and to be forgotten (erasure)."""
