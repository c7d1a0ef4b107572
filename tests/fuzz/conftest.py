"""Hypothesis settings for the fuzz tests, chosen with the HYPOTHESIS_PROFILE environment variable:
`ci` (the default: a few hundred examples in all, the folder runs in about a minute on 2 cores) or
`deep` (for long local runs: HYPOTHESIS_PROFILE=deep pytest tests/fuzz).

The chosen profile is registered as "rpt-fuzz"; each fuzz test applies it with its own share of
examples (`settings(FUZZ, max_examples=examples(n))`, n being its count under `ci`). Nothing here
loads a profile for the whole session, so the other hypothesis tests keep their own settings.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Builds and handlers are slow next to what hypothesis expects; inputs are large on purpose.
_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
PROFILES = {
    "ci": settings(max_examples=100, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True),
    "deep": settings(max_examples=2000, deadline=None, suppress_health_check=_SLOW_IS_FINE, print_blob=True),
}
CHOSEN = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.register_profile("rpt-fuzz", PROFILES.get(CHOSEN, PROFILES["ci"]))
