"""A guard against patient identifiers in the free text a learner logs (case references, case notes,
descriptions of supervised work).

Contract: `phi_reason(text)` returns None when the text looks free of patient identifiers, else a
learner-facing sentence (translated with `_`) that says what kind of identifier was found, why it is
refused and how to rephrase. The message never quotes the text, so identifiers are not echoed into
replies or logs. Time is linear in the text: texts longer than MAX_CHECKED_LENGTH are refused
unread, and no pattern below can backtrack more than a bounded distance.

What is looked for, first match wins:
- e-mail addresses and telephone numbers (North American forms, "+" international forms, and a
  number after "phone", "tel", "cell", "mobile" or "fax");
- Social Security numbers: 123-45-6789, 123 45 6789, nine digits in a row, and the words SSN or
  social security;
- medical record numbers: the words MRN, medical record, record/chart/account/hospital no., number
  or #, and any other run of six or more digits (the fractional part of a decimal number excepted);
- dates of birth: DOB, date of birth, birth date, birthday, born; any calendar date with its day
  (03/14/1961, 14.3.61, 1961-03-14, 14 March 1961, March 14, 1961, 14th of Mar): dates of
  treatment identify a patient too, and the entry's own date field is the place for the date of a
  case; ages over 89 (HIPAA Safe Harbor);
- street addresses (a house number then up to three capitalised words then Street, Avenue, Road...);
- person names: Mr, Mrs, Ms or Mx before any word; Dr, Prof or Miss before a capitalised word;
  "patient" or "pt" before a capitalised word or an initial; the words "patient name"; two or more
  consecutive capitalised words or initials (John Smith, J. Smith, John Q. Public, JOHN SMITH) and
  "Surname, Given" forms, unless the words are on ALLOWED_WORDS or ALLOWED_SYMBOLS, the capitalised
  vocabulary of this field (drug and product names, element names, units, agencies and societies,
  imaging, months and weekdays, regulatory phrases such as Written Directive, and common
  sentence-opening words). Nuclides (Lu-177, I-131) hold digits, so they are never read as names.

Before matching, the text is NFKC-normalised (full-width digits become ASCII digits), invisible
format characters (zero-width spaces, soft hyphens, direction marks) are removed and every dash is
read as "-", so "J\\u200bohn" or "123–45–6789" do not slip through.

Limits: this is a guard, not a guarantee, and no substitute for the learner's care.
- It misses identifiers with no tell-tale form: a lower-case name ("john smith"), a single name
  ("Smith tolerated it"), a name that uses an allowed word ("May Graves", "Grace Hospital"), a name
  in a script without letter case, an MRN of five digits or fewer or one split by separators
  (12-3456), a date without its day ("the spring of 1961"), a month and day as numbers only (3/14,
  read as a fraction), a town, a ZIP code, a URL, an IP address, a description of a photograph, or a
  rare condition that identifies someone by itself.
- It refuses some harmless texts: eponyms and places written with capitals ("Graves Disease" is
  allowed, "Hashimoto Thyroiditis" is not), any capitalised pair not on the list, decimals written
  as dates (7.4.10), activities written as long digit runs (7400000000 Bq: write 7.4 GBq), colleagues
  named in notes (name them in the supervising AU field instead), Title Case headings. Every message
  says how to rephrase.
"""
from __future__ import annotations

import re
import unicodedata

from rpt_xblocks.translation import _

MAX_CHECKED_LENGTH = 5000

# Capitalised words of this field that are not names, compared in any case.
ALLOWED_WORDS = frozenset(unicodedata.normalize("NFKC", word) for word in """
lutathera pluvicto xofigo quadramet metastron azedra zevalin bexxar therasphere sir-spheres sirspheres
locametz illuccix netspot detectnet hicon jeanatope iodotope sodium iodide chloride dichloride lutetium
iodine radium yttrium strontium samarium actinium thorium gallium technetium indium fluorine copper
dotatate dotatoc vipivotide tetraxetan oxodotreotide iobenguane lexidronam ibritumomab
siemens biodex capintec atomlab ludlum fluke ok okay
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
authorized user users radiation safety officer officers committee medical event events written
directive directives part parts nuclear medicine regulatory commission radiology radiologist oncology
oncologist department hospital university center centre clinic cancer institute board certification
certified american society college association national federal state states united rule rules
guidance title code regulations agreement section appendix table form license licensee program
thyroid graves disease prostate neuroendocrine tumor tumors tumour tumours carcinoma carcinoid bone
metastases metastatic castration resistant differentiated papillary follicular pheochromocytoma
paraganglioma lymphoma hyperthyroidism hepatocellular liver kidney kidneys marrow
cycle cycles dose doses dosage dosages calibrator constancy linearity accuracy geometry survey meter
meters quality control check checks spill spills decontamination contamination wipe wipes test tests
training experience supervised supervising supervision work case cases category categories notes note
patient patients the this that these those no not yes all and but or for with without after before
during post pre per see given treated administered administration infused infusion injected injection
observed performed discussed reviewed verified checked explained counseled counselled released
first second third fourth fifth sixth initial follow up next last day days week weeks month months year
years well good normal stable tolerated outpatient inpatient release instructions room isolation hot
lab laboratory pharmacy nurse nursing physician physicist physics technologist resident residents
fellow fellows attending preceptor staff team therapy treatment treatments oral capsule capsules
solution vial vials syringe syringes pump amino acid acids antiemetic premedication scan scans imaging
planar whole body dosimetry dosimeter badge ring area posting sign signs waste decay storage shipping
package packages receipt receiving unpacking ordering calculation calculations measurement measuring
preparation preparing administrative controls procedures procedure policy policies emergency
hot-lab post-therapy pre-therapy follow-up pharmacopeia
""".split())
# Units and acronyms, compared as written or in capitals: "DOE" is an agency, "Doe" may be a name.
ALLOWED_SYMBOLS = frozenset(unicodedata.normalize("NFKC", word) for word in """
GBq MBq kBq TBq Bq mCi Ci µCi uCi Gy mGy cGy Sv mSv µSv uSv rem mrem rad keV MeV mL
NRC USNRC ASTRO SNMMI SNM ACR ABNM ABR AAPM ACGME ACNM FDA CMS NIH NCI IAEA ICRP ICRU MIRD HIPAA IRB RSC RSO
AU AUs AMP ANP CFR DOE DOT OSHA NCRP NANETS USP
SPECT CT PET MRI MR US DEXA EKG ECG GFR CBC ANC WBC PLT TSH RAI NET GEP PRRT RLT mCRPC PSMA MIBG ECOG DTC
QC QA GE OK
""".split())
_SYMBOLS_IN_CAPITALS = frozenset(symbol.upper() for symbol in ALLOWED_SYMBOLS)

_TITLES = frozenset({"Dr", "DR", "Prof", "Miss"})  # before a capitalised word
_TITLES_BEFORE_ANY_WORD = frozenset({"Mr", "mr", "Mrs", "mrs", "MRS", "Ms", "Mx"})
_PATIENT_WORDS = frozenset({"patient", "patients", "pt", "pts"})

_EMAIL = re.compile(r"[\w.+-]@[\w-]+\.[\w.-]*[^\W\d_]")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]\d{4}(?!\d)"
                    r"|\b(?i:phone|tel|telephone|cell|mobile|fax)\b[ .:#]{0,4}\+?\(?\d")
_INTERNATIONAL = re.compile(r"\+\d[\d ()-]{6,18}\d")  # a telephone number if it has 8 digits or more
_SSN = re.compile(r"(?<!\d)\d{3}([ -])\d{2}\1\d{4}(?!\d)|(?<!\d)(?<!\d[.,])\d{9}(?!\d)"
                  r"|(?i:\bSSN\b|\bSS#|\bsocial security\b)")
_MRN = re.compile(r"(?<!\d)(?<!\d[.,])\d{6,}"
                  r"|(?i:\bMRN\b|\bmedical records?\b"
                  r"|\b(?:record|chart|account|acct|hospital)[ .]{0,2}(?:no\b|num\b|number\b|#))")
_PATIENT_NAME = re.compile(r"(?i:\b(?:patient|pt)(?:'s|s'|’s)? name\b)")
_DOB = re.compile(r"(?i:\bd\.?o\.?b\b|\bdate of birth\b|\bbirth ?date\b|\bbirthday\b|\bborn\b)")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d])"
                           r"|(?<![\d.])(\d{4})([/.-])(\d{1,2})\6(\d{1,2})(?![\d])")
_MONTH = (r"(?:(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)|May|MAY)\b")
_WORD_DATE = re.compile(rf"(?<![\w.])(\d{{1,2}})(?:st|nd|rd|th)?[ ./-]{{0,3}}(?:of )?{_MONTH}"
                        rf"|\b{_MONTH}\.?[ ./-]{{0,3}}(\d{{1,2}})(?:st|nd|rd|th)?(?!\d)")
_OLD_AGE = re.compile(r"(?<!\d)(?:9\d|1[0-4]\d)[ -]{0,3}(?i:y/?o\b|yrs?\b|years?\b|year-old)"
                      r"|(?i:\baged?)[ :]{0,3}(?:9\d|1[0-4]\d)(?!\d)")
_ADDRESS = re.compile(r"(?<!\d)\d{1,6}(?: [A-Z][\w'-]*){1,3} (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln"
                      r"|Drive|Court|Ct|Way|Place|Pl|Terrace|Highway|Hwy|Parkway)\b")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－"), "-")


def phi_reason(text: str) -> str | None:
    """None if `text` looks free of patient identifiers, else why it is refused (see the module docstring)."""
    if len(text) > MAX_CHECKED_LENGTH:
        return _too_long()
    text = _normalised(text)
    if len(text) > MAX_CHECKED_LENGTH:  # NFKC can lengthen a text
        return _too_long()
    if _EMAIL.search(text):
        return _("This looks like an e-mail address. Do not store patient identifiers or contact details here: "
                 "use a de-identified case reference such as LU-2026-014.")
    if _PHONE.search(text) or any(sum(c.isdigit() for c in m[0]) >= 8 for m in _INTERNATIONAL.finditer(text)):
        return _("This looks like a telephone number. Do not store patient identifiers or contact details here: "
                 "use a de-identified case reference such as LU-2026-014.")
    if _SSN.search(text):
        return _("This looks like a Social Security number. Do not store patient identifiers here: "
                 "use a de-identified case reference such as LU-2026-014.")
    if _MRN.search(text):
        return _("This looks like a medical record number (the word MRN or record number, or a run of six or more "
                 "digits). Do not store patient identifiers here: use a de-identified case reference such as "
                 "LU-2026-014. If it is a measurement, write it with a unit prefix, for example 7.4 GBq rather "
                 "than 7400000000 Bq.")
    if _DOB.search(text):
        return _("This looks like a date of birth. Do not store patient identifiers here: use a de-identified "
                 "case reference such as LU-2026-014.")
    if _has_calendar_date(text):
        return _("This looks like a calendar date. Dates of birth, admission or treatment identify a patient: "
                 "record the date of the case in the entry's date field, and leave dates out of this text.")
    if _OLD_AGE.search(text):
        return _("This looks like an age over 89, which identifies a patient. Write “over 89” instead.")
    if _ADDRESS.search(text):
        return _("This looks like a street address. Do not store patient identifiers here: use a de-identified "
                 "case reference such as LU-2026-014.")
    if _PATIENT_NAME.search(text) or _has_name(text):
        return _("This looks like a person's name (capitalised words in a row, or a title such as Dr or Mrs, or "
                 "“patient” before a name). Do not name patients or anyone else here: use a de-identified case "
                 "reference such as LU-2026-014, and put the supervising Authorized User in their own field. "
                 "If the words are a drug, device or place, write them in lower case.")
    return None


def _too_long() -> str:
    return _("This text is too long to check for patient identifiers: shorten it to at most {limit} "
             "characters.").format(limit=MAX_CHECKED_LENGTH)


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _has_calendar_date(text: str) -> bool:
    for match in _NUMERIC_DATE.finditer(text):
        if match[1]:
            first, second, year = int(match[1]), int(match[3]), match[4]
            if len(year) == 4 and not 1900 <= int(year) <= 2100:
                continue
            if (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31):
                return True
        elif 1900 <= int(match[5]) <= 2100 and 1 <= int(match[7]) <= 12 and 1 <= int(match[8]) <= 31:
            return True
    return any(1 <= int(match[1] or match[2]) <= 31 for match in _WORD_DATE.finditer(text))


# ---- names ---------------------------------------------------------------------------------------

def _allowed(word: str) -> bool:
    if word.endswith(("'s", "’s")):
        word = word[:-2]
    return _allowed_part(word) or all(_allowed_part(part) for part in re.split(r"['’-]", word) if part)


def _allowed_part(part: str) -> bool:
    return (part.lower() in ALLOWED_WORDS or part in ALLOWED_SYMBOLS
            or (part.isupper() and part in _SYMBOLS_IN_CAPITALS))


def _is_capitalised(word: str) -> bool:
    """Smith, McDonald, O'Brien, Smith-Jones, SMITH: a letter-only word starting with a capital."""
    letters = word.replace("'", "").replace("’", "").replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and word[0].isupper()


def _is_initial(word: str, following: str) -> bool:
    return len(word) == 1 and word.isupper() and following.startswith(".")


def _has_name(text: str) -> bool:
    """Words are runs of letters and digits (with ' or - inside); what lies between two words decides
    whether they read as one name."""
    words = list(_WORD.finditer(text))
    run = []  # for each capitalised word or initial of the current run: whether it is an initial
    for index, match in enumerate(words):
        word, next_match = match[0], words[index + 1] if index + 1 < len(words) else None
        between = text[match.end():next_match.start()] if next_match else text[match.end():]
        after = next_match[0] if next_match else ""
        after_is_initial = bool(next_match) and _is_initial(after, text[next_match.end():next_match.end() + 1])
        # Mrs Jones, Dr. Patel, patient John, Pt: J.S.
        if word in _TITLES_BEFORE_ANY_WORD and re.fullmatch(r"\.?\s*", between) and after.isalpha():
            return True
        if (word in _TITLES and re.fullmatch(r"\.?\s*", between) and after.isalpha() and after[0].isupper()
                and not _allowed(after)):
            return True
        if (word.lower() in _PATIENT_WORDS and re.fullmatch(r"[.:# ]{1,4}", between)
                and (_is_capitalised(after) or after_is_initial) and not _allowed(after)):
            return True
        # Smith, John / SMITH, JOHN (both capitalised the same way, neither an allowed word).
        if (_is_capitalised(word) and re.fullmatch(r", ?", between) and _is_capitalised(after)
                and word.isupper() == after.isupper() and not _allowed(word) and not _allowed(after)):
            return True
        # John Smith, J. Smith, John Q. Public: a run of two or more, not all initials.
        initial = _is_initial(word, between)
        if (initial or _is_capitalised(word)) and not _allowed(word):
            run.append(initial)
            if len(run) >= 2 and not all(run):
                return True
            if not (between.isspace() or (initial and re.fullmatch(r"\. ?", between))):
                run = []
        else:
            run = []
    return False
