"""Mechanisms that keep a failing dependency from taking the service down with it."""
