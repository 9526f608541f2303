"""End-to-end tests: the installed program, run as a user runs it."""
