"""Cross-cutting building blocks every layer may use: settings, logging, request context."""
