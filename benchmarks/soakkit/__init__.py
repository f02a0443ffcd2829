"""Shared by tests/reliability and benchmarks/soak.py: fuzzed photos, killed commands, the process table."""
