"""Checks of built or imported OLX: `rpt-course validate` (validate.py), our own OLX checks
(olx_checks.py) and olxcleaner's (olxcleaner_check.py)."""
