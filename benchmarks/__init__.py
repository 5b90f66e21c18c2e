"""Benchmarks: a national-scale registry generator and a runner (``make bench``)."""
