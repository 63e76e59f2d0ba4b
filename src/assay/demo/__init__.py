"""The demo organization that `make run` serves: a realistic story to click through."""
