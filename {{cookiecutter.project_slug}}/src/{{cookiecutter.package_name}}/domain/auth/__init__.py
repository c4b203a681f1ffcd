"""Signing in and staying signed in: access tokens, refresh-token rotation, login throttling."""
