"""rpt_xblocks: Open edX XBlocks for radiopharmaceutical-therapy Authorized User training.

The OLX tags below are a public contract: course authors and archives use them, so they never
change. Each block registers itself under its tag through the `xblock.v1` entry point.
"""

OLX_TAGS = ("rpt_quiz", "rpt_dosimetry", "rpt_prereq_tracker")
