"""The ``minsheng`` command line: one small module per command."""
from .main import app, main

__all__ = ["app", "main"]
