"""Routers for officers of municipal and regional education offices."""
