"""Announcements: one message to many people, delivered on the bulk lane, with responses.

Modules: ``views`` (plain data), ``audience`` (who an audience is, inside the sender's
subtree), ``sending`` (draft, preview, send or schedule, progress, cancel), ``responses``
(«Ознакомлен», volunteers, who did not acknowledge, the reminder to them).
"""
