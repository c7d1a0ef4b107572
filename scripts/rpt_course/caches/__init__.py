"""The build cache: one folder of entries (build_cache.py) holding rendered Markdown (render_cache.py)
and clean check verdicts (check_cache.py), each keyed by the code it came from (code_fingerprint.py)."""
