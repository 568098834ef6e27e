"""In-memory fakes of the service layer's ports, for unit tests; each passes its port's contract
suite in tests/contracts (run against the real adapters too)."""
