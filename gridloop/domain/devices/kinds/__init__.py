"""Built-in device kinds: one module per kind, each exposing `KIND`."""
