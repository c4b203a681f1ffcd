"""Request and response bodies, one module per resource. Never shared with the database rows."""
