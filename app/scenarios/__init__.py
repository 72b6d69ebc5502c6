"""Branching role-play scenarios: the model (frozen), the pure engine, and load-time validation."""
