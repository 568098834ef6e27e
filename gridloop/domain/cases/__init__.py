"""Cases: the closed loop from report to close, its history, deadlines and indicators."""
