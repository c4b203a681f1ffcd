"""User accounts: registration, roles, activation, and the passwords that prove who is who."""
