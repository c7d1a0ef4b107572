"""The dosimetry walkthrough: plain physics and nuclide data (physics.py, nuclides.py), no XBlock."""
