"""Routers for parents and other hotline users."""
