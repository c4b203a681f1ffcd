"""Pure ASGI middleware only: `BaseHTTPMiddleware` costs most of a fast route's time."""
