"""Metrics and dataset readers behind ``storyline eval``."""
