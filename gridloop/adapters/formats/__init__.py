"""The district directory format (docs/formats.md): reading and writing."""
