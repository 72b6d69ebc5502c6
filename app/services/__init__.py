"""Business rules as plain functions that take a database session."""
