"""rpt_course: turns the YAML + Markdown in course_content/ into an Open edX OLX archive.

Data flows one way: content files -> validated model (content.py) -> OLX files (olx.py)
-> checks (checks.py, olxcleaner) -> deterministic archive (archive.py).
"""
