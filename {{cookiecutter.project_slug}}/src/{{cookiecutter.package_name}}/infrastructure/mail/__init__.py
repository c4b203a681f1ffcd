"""Outgoing mail adapters."""
