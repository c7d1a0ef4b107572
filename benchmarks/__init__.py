"""Benchmarks of rpt-au: build, block and validate speed beside their floors (see docs/benchmarks.md)."""
