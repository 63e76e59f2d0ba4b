"""Results: item scores, skill and overall scores with errors, ranking, decisions, reports."""
