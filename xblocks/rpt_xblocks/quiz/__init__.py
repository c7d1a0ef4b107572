"""rpt_quiz: the radiation-safety quiz XBlock (OLX tag `rpt_quiz`)."""
