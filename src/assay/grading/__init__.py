"""Grading: the sandbox, task packages and the engine that turns runs into verdicts."""
