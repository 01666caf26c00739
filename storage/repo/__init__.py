"""Repositories: every SQL statement of the application lives in this package."""
