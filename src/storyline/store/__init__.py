"""Persistence: schema migrations and the SQLite store."""

from .sqlite import Store, StoreError

__all__ = ["Store", "StoreError"]
