"""Routers for school coordinators."""
