"""The example resource: items a user owns, with a name and a price."""
