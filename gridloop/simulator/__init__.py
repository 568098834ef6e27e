"""The district simulator: generated districts for tests, demos and load runs."""
