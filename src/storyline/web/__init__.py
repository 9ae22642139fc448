"""The web application: REST API under /api/v1, HTML pages, /healthz and /metrics (see ``app.py``)."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
