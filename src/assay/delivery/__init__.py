"""Delivery: inviting candidates and letting them take an assessment in the browser."""
