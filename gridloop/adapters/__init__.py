"""Adapters: storage, files, spatial index, transports."""
