"""The hotline: tickets from people, answered by operators of the right organisation.

Modules: ``views`` (plain data), ``tickets`` (the person's use cases), ``operators`` (the
operators' use cases), ``routing`` (whose ticket, who answers, where relays go, the header
card), ``settings`` (an organisation's schedule), ``deadlines`` (answer reminders and
escalations), ``faq``, ``privacy``, ``stats``.
"""
