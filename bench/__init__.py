"""Benchmarks (`make bench`): figures at real scale, each beside its target and a same-run baseline."""
