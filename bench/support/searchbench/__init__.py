"""A throwaway app for bench/search_bench.py: one indexed model, no migrations (syncdb)."""
