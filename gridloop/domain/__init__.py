"""The pure core: concepts as plain dataclasses and functions, no I/O."""
