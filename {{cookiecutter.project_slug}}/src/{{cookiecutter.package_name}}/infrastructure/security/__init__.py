"""Cryptography adapters: password hashing (passlib, argon2) and access tokens (PyJWT)."""
