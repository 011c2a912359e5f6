"""tidings benchmarks (not tests): `make bench` or `python -m benchmarks [NAME...]`."""
