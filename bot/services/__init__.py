"""Domain services: plain values in, plain data out, one transaction per use case."""
