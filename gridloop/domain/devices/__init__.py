"""Devices and their kinds; each kind is a plug-in module under `kinds/`."""
