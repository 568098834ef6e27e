"""SQLite storage (WAL mode, one writer), the default embedded backend."""
