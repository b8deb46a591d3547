"""Benchmarks of SPEC section 7 and issue 8: `make bench` (python -m bench) prints and saves them."""
