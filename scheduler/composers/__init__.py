"""Composers: what the scheduler says, as channel-neutral messages."""
