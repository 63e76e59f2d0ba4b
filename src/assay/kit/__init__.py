"""Framework-free helpers: ids, clock, hashing, pagination."""
