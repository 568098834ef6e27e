"""Data files shipped with gridloop (read through importlib.resources, editable copies allowed)."""
