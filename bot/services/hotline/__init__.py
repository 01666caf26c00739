"""The hotline: tickets, routing, FAQ, privacy and statistics."""
