"""Benchmarks: ratios measured side by side in one run (python -m bench.engine, bench.inbox),
decision-table speed (bench.dmn) and DMN TCK conformance (bench.tck PATH)."""
