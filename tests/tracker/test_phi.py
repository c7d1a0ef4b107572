"""The patient-identifier guard: what it refuses, what it lets through, and that it always returns."""
from __future__ import annotations

import pytest

from rpt_xblocks.tracker.phi import MAX_CHECKED_LENGTH, phi_reason
from rpt_xblocks.translation import translated_by

# text -> a word the refusal must contain (what was found)
REFUSED = {
    # Social Security numbers
    "123-45-6789": "Social Security",
    "SSN 123 45 6789": "Social Security",
    "ssn on file": "Social Security",
    "123456789": "Social Security",
    "１２３-４５-６７８９": "Social Security",         # full-width digits
    "123–45–6789": "Social Security",                  # en dashes
    "123\u200b45\u200b6789": "Social Security",        # zero-width spaces
    # medical record numbers
    "MRN 4471": "medical record",
    "mrn: A-99": "medical record",
    "From the medical record": "medical record",
    "record no. 55": "medical record",
    "Chart # 12": "medical record",
    "#1234567": "medical record",
    "case 20260314": "medical record",
    # dates of birth and calendar dates
    "DOB 1961": "date of birth",
    "d.o.b. unknown": "date of birth",
    "born in 1961": "date of birth",
    "Date of birth on the requisition": "date of birth",
    "birthdate checked": "date of birth",
    "03/14/1961": "calendar date",
    "3/14/61": "calendar date",
    "14.03.1961": "calendar date",
    "1961-03-14": "calendar date",
    "14 March 1961": "calendar date",
    "March 14, 1961": "calendar date",
    "mar 14": "calendar date",
    "14-Mar-1961": "calendar date",
    "2nd of Sept": "calendar date",
    "treated on May 3": "calendar date",
    # ages over 89
    "92 yo": "over 89",
    "a 95-year-old man": "over 89",
    "aged 91": "over 89",
    # contact details and addresses
    "jane.doe@example.org": "e-mail",
    "(555) 123-4567": "telephone",
    "555.123.4567": "telephone",
    "+1 555 123 4567": "telephone",
    "+44 20 7946 0958": "telephone",
    "phone 5551234": "telephone",
    "123 Main Street": "street address",
    # names
    "Mr Smith": "name",
    "Mrs. jones": "name",
    "Ms Patel": "name",
    "Dr. Patel supervised": "name",
    "seen by Prof Ito": "name",
    "patient John": "name",
    "Pt: Jane": "name",
    "patient J.S.": "name",
    "Patient name on the label": "name",
    "John Smith": "name",
    "J. Smith": "name",
    "John Q. Public": "name",
    "JOHN SMITH": "name",
    "Smith, John": "name",
    "SMITH, JOHN": "name",
    "José García": "name",
    "Mary O'Brien": "name",
    "Anne Smith-Jones": "name",
    "J\u200bohn Smith": "name",
    "Lutathera given to Jane Doe": "name",
}

ACCEPTED = [
    "LU-2026-014",
    "Case 7 G3",
    "Lutathera cycle 2, 7.4 GBq, no spill",
    "Supervised by the AU; dose calibrator constancy OK",
    "Pluvicto 7.4 GBq, PSMA PET positive",
    "Xofigo 55 kBq/kg, Ra-223, cycle 3 of 6",
    "I-131 3.7 GBq for Graves Disease",
    "Quadramet and Metastron for bone pain",
    "Written Directive signed by the AU before administration",
    "Post-therapy SPECT/CT at 24 h",
    "Patient A tolerated the infusion well",
    "Lu-177 dotatate, amino acid infusion started 30 min before",
    "72-year-old man, mCRPC",
    "Released under 10 CFR 35.75 with written instructions",
    "NRC Form 313A worksheet",
    "ASTRO and SNMMI guidance reviewed",
    "Cycle 2 of 4, Jan 2026",
    "March 2026",
    "Survey meter check: 0.02 mSv/h at 1 m",
    "+0.5 (0.2-0.7)",
    "dose of 0.000123456 Gy",
    "1,234,567 counts",
    "Thyroid Cancer, remnant ablation",
    "Medical Event procedures discussed with the RSO",
    "G1 oral I-131 1.1 GBq, outpatient",
    "",
]


@pytest.mark.parametrize("text, found", REFUSED.items(), ids=list(REFUSED))
def test_identifiers_are_refused_with_a_reason(text, found):
    reason = phi_reason(text)
    assert reason is not None, text
    assert found in reason
    assert text not in reason or len(text) < 4  # the message never echoes the identifier


@pytest.mark.parametrize("text", ACCEPTED)
def test_de_identified_text_passes(text):
    assert phi_reason(text) is None


def test_every_refusal_says_how_to_rephrase():
    reasons = {phi_reason(text) for text in REFUSED}
    assert all(reason.endswith(".") and len(reason.split(". ")) >= 2 for reason in reasons)


def test_messages_are_translated():
    with translated_by(lambda text: "«" + text + "»"):
        assert phi_reason("123-45-6789").startswith("«This looks like a Social Security number.")


def test_a_text_too_long_to_check_is_refused_unread():
    assert "too long" in phi_reason("a" * (MAX_CHECKED_LENGTH + 1))
    assert phi_reason("a " * (MAX_CHECKED_LENGTH // 2)) is None
    # NFKC can multiply a text's length (U+FDFA becomes 18 characters): checked after normalising too.
    assert "too long" in phi_reason("\ufdfa" * (MAX_CHECKED_LENGTH // 2))


HOSTILE = {
    "100 KB of letters": "x" * 100_000,
    "100 KB of mixed": ("Aa 1-2-3 J. @x.y +1 (5 Dr patient, May " * 3000)[:100_000],
    "digits": "1" * MAX_CHECKED_LENGTH,
    "spaces": " " * MAX_CHECKED_LENGTH,
    "digits and spaces": "1 " * (MAX_CHECKED_LENGTH // 2),
    "digits and dots": "1." * (MAX_CHECKED_LENGTH // 2),
    "digits and dashes": "1-" * (MAX_CHECKED_LENGTH // 2),
    "at signs": "a@" * (MAX_CHECKED_LENGTH // 2),
    "domain-like": "@a." * (MAX_CHECKED_LENGTH // 3),
    "plus signs": "+1 " * (MAX_CHECKED_LENGTH // 3),
    "an age then spaces": "95" + " " * (MAX_CHECKED_LENGTH - 2),
    "initials": "A. " * (MAX_CHECKED_LENGTH // 3),
    "one long word": "1 A" + "a" * (MAX_CHECKED_LENGTH - 3),
    "zero-width": "\u200b" * MAX_CHECKED_LENGTH,
    "lower-case words": "of " * (MAX_CHECKED_LENGTH // 3),
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_text_returns(text):
    result = phi_reason(text)
    assert result is None or isinstance(result, str)
