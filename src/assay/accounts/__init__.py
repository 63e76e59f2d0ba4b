"""Organizations, their people, roles, sessions and API keys."""
