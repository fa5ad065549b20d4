"""Benchmarks: ``python -m bench`` (``--quick`` at a tenth of the sizes). Prints a table, writes results.json."""
