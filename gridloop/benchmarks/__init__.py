"""Benchmarks behind `gridloop bench`: each measures the real path and returns its figures."""
