"""Cache-aside for the domain's caches: entries in Redis in server mode, in this process in
embedded mode. `caches.py` builds them; docs/caching.md explains them."""
