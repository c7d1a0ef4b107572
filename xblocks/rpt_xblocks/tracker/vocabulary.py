"""The tracker's fixed vocabulary: what a learner can log and the regulation's names for it.

Contract: ids here are stored in learner records and referenced by requirement sets: never rename
one once published. Labels are learner-facing templates: translate them with `_` when shown.
Sources (reference sheet section 1): classroom topics 10 CFR 35.390(b)(1)(i)(A)-(E); supervised
work-experience items 35.390(b)(1)(ii)(A)-(E); administration categories 35.390(b)(1)(ii)(G)(1)-(3)
as merged by the 2018 rule (83 FR 33046).
"""
from __future__ import annotations

ENTRY_KINDS = ("didactic", "work", "case", "declaration")

TOPICS = {  # 35.390(b)(1)(i)(A)-(E)
    "physics_instrumentation": "Radiation physics and instrumentation",
    "radiation_protection": "Radiation protection",
    "mathematics": "Mathematics pertaining to the use and measurement of radioactivity",
    "chemistry": "Chemistry of byproduct material for medical use",
    "radiation_biology": "Radiation biology",
}

WORK_ITEMS = {  # 35.390(b)(1)(ii)(A)-(E); (F) is not on the reference sheet (UNCONFIRMED) and is not tracked
    "A": "Ordering, receiving and unpacking radioactive materials safely, with the related surveys",
    "B": "Quality control of instruments that measure dosages; operational checks of survey meters",
    "C": "Calculating, measuring and safely preparing dosages",
    "D": "Administrative controls to prevent a medical event",
    "E": "Containing spilled material safely and decontaminating",
}

CASE_CATEGORIES = {  # 35.390(b)(1)(ii)(G)
    "G1": "Oral sodium iodide I-131, at most 1.22 GBq (33 mCi)",
    "G2": "Oral sodium iodide I-131, more than 1.22 GBq (33 mCi)",
    "G3": ("Parenteral administration of a radioactive drug whose radionuclide is used primarily for its "
           "electron emission, beta or alpha radiation, or photons below 150 keV, requiring a written directive"),
}

CASE_CATEGORY_SHORT = {  # the same categories, short enough for a table column
    "G1": "Oral I-131, at most 1.22 GBq (33 mCi)",
    "G2": "Oral I-131, more than 1.22 GBq (33 mCi)",
    "G3": "Parenteral, with a written directive",
}

REVIEW_DECISIONS = ("verified", "rejected")
