"""Services that orchestrate the domain through ports (unit of work, indexes, notifications)."""
