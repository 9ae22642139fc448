"""Text stages: extraction, cleaning, language and sentences."""
