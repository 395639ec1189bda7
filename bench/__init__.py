"""The performance benchmark (bench/run.py) and its parts; see bench/README.md."""
