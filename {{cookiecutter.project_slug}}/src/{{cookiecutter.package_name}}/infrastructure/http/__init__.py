"""Calls to other services: one resilient HTTP client that every outbound adapter uses."""

from .client import ResilientHttpClient, UpstreamUnavailable, create_http_client

__all__ = ["ResilientHttpClient", "UpstreamUnavailable", "create_http_client"]
