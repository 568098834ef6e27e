"""Entry points: the command line (and, later, the web app and consumers)."""
