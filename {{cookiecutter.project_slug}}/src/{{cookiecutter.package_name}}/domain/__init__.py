"""The business core: entities, services and the ports they need.

It imports nothing but itself and the standard library (import-linter checks this).
"""
