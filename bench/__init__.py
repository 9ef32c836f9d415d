"""Benchmarks (issue 9): a simulated news web, the naive baseline, the extraction ceiling,
borderwatch's poll on top of them, and the extraction-quality score. See bench/README.md."""
