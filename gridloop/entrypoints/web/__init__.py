"""The HTTP application (FastAPI), built by a factory from settings."""
