"""Test support: chat driver, update builders, recording session, factories, databases, clocks,
seeds and documents, Redis, the end-to-end harness. Test modules import only these (and the
fake Bot API in tests.fakeapi), never one another."""
