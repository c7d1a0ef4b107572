"""What a learner takes away from the tracker: the case log as CSV, and a printable summary.

Contract:
- `records_csv(entries, declarations, gettext)` -> CSV text, one file of everything the learner
  logged: a header, then one row per live entry (classroom training with its hours by topic,
  supervised work experience, cases, declarations; by section, then date), each with its status,
  reviewer and comment, and the correction links (`declarations`: requirement id -> its title).
  A cell a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
  written with a leading apostrophe.
- `printable_summary(name, state, sets, gettext, name_note="")` -> a whole HTML page, every value escaped, no
  script, laid out like the training sections of NRC Form 313A(AUT): classroom and laboratory
  training by topic, supervised work experience by item, cases by category, progress against each
  requirement, and a block with blank lines for the preceptor. It is a worksheet to fill the form
  from, and says so; it is not the form.
`state` is the block's learner state (entries with their status, progress).
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

from markupsafe import Markup, escape

from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES, TOPICS, WORK_ITEMS

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _live(entries, kind):
    chosen = [e for e in entries if e["kind"] == kind and not e.get("deleted")]
    return sorted(chosen, key=lambda e: (e["fields"].get("date") or e["fields"].get("end") or "", e["id"]))


_KIND_ORDER = ("didactic", "work", "case", "declaration")
_KIND_LABELS = {"didactic": "Classroom and laboratory training", "work": "Supervised work experience",
                "case": "Clinical case", "declaration": "Declaration"}
_STATUS_LABELS = {"pending": "Awaiting verification", "verified": "Verified", "rejected": "Rejected"}
CSV_HEADERS = ("Section", "Entry", "Date", "Last day", "Status", "Reviewed by", "Review comment", "Correction of",
               "Corrected by", "Category, item or requirement", "Description", "Hours", "Training provider",
               "Certificate", "Radiopharmaceutical", "Administered activity", "Activity (MBq)",
               "Supervising Authorized User", "Supervising Authorized User's username", "Site", "Case reference",
               "Notes", "Reference")


def records_csv(entries: list, declarations: dict, gettext) -> str:
    """See the module docstring."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    topics = list(TOPICS)
    headers = [gettext(h) for h in CSV_HEADERS]
    headers[12:12] = [gettext("Hours: {topic}").format(topic=gettext(TOPICS[t])) for t in topics]
    writer.writerow([_cell(h) for h in headers])
    for kind in _KIND_ORDER:
        for entry in _live(entries, kind):
            f, review = entry["fields"], entry.get("review") or {}
            row = {"Section": gettext(_KIND_LABELS[kind]), "Entry": entry["id"],
                   "Status": gettext(_STATUS_LABELS.get(entry.get("status", "pending"), "Awaiting verification")),
                   "Reviewed by": review.get("by"), "Review comment": review.get("comment"),
                   "Correction of": entry.get("corrects"), "Corrected by": entry.get("corrected_by"),
                   "Supervising Authorized User": f.get("supervising_au"),
                   "Supervising Authorized User's username": f.get("preceptor")}
            row.update(_kind_columns(kind, f, declarations, gettext))
            hours = f.get("hours") if kind == "didactic" else {}
            cells = [row.get(h) for h in CSV_HEADERS]
            cells[12:12] = [_hours(hours[t]) if t in hours else "" for t in topics]
            writer.writerow([_cell(v) for v in cells])
    return out.getvalue()


def _kind_columns(kind: str, f: dict, declarations: dict, gettext) -> dict:
    if kind == "didactic":
        return {"Date": f.get("start"), "Last day": f.get("end"), "Hours": _hours(sum(f["hours"].values())),
                "Training provider": f.get("provider"), "Certificate": f.get("certificate")}
    if kind == "work":
        item = f.get("item", "")
        return {"Date": f.get("date"), "Category, item or requirement": f"{item}: {gettext(WORK_ITEMS.get(item, ''))}",
                "Description": f.get("description"), "Hours": _hours(f.get("hours", 0)), "Site": f.get("site")}
    if kind == "case":
        activity, category = f.get("activity") or {}, f.get("category", "")
        return {"Date": f.get("date"),
                "Category, item or requirement": f"{category}: {gettext(CASE_CATEGORIES.get(category, ''))}",
                "Radiopharmaceutical": f.get("radiopharmaceutical"),
                "Administered activity": f"{activity.get('value', 0):g} {activity.get('unit', '')}".strip(),
                "Activity (MBq)": f"{f.get('activity_mbq', 0):g}", "Case reference": f.get("case_reference"),
                "Notes": f.get("notes")}
    requirement = f.get("requirement", "")
    return {"Date": f.get("date"), "Category, item or requirement": declarations.get(requirement, requirement),
            "Reference": f.get("reference")}


def _table(caption: str, headers: list, rows: list) -> Markup:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}">—</td></tr>'
    return Markup(f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _status(entry, gettext) -> str:
    return gettext(entry.get("status", "pending"))


def _hours(value) -> str:
    return f"{value:g}"


def printable_summary(name: str, state: dict, sets: list, gettext, name_note: str = "") -> str:
    """See the module docstring; `name_note` follows the learner's name (e.g. that it is a username)."""
    t = gettext
    entries = state["entries"]
    didactic = _live(entries, "didactic")
    topic_ids = list(TOPICS)
    didactic_rows = [[e["fields"]["provider"], f'{e["fields"]["start"]} – {e["fields"]["end"]}',
                      *(_hours(e["fields"]["hours"].get(topic, 0)) for topic in topic_ids),
                      _hours(sum(e["fields"]["hours"].values())), e["fields"].get("certificate", ""), _status(e, t)]
                     for e in didactic]
    counted = [e for e in didactic if e.get("status") != "rejected"]
    totals = [_hours(sum(e["fields"]["hours"].get(topic, 0) for e in counted)) for topic in topic_ids]
    didactic_rows.append([t("Total (not rejected)"), "", *totals,
                          _hours(sum(sum(e["fields"]["hours"].values()) for e in counted)), "", ""])
    work_rows = [[e["fields"]["item"], t(WORK_ITEMS[e["fields"]["item"]]), e["fields"]["date"], _hours(e["fields"]["hours"]),
                  e["fields"]["supervising_au"], e["fields"]["site"], _status(e, t)] for e in _live(entries, "work")]
    case_rows = [[e["fields"]["category"], e["fields"]["date"], e["fields"]["radiopharmaceutical"],
                  f'{e["fields"]["activity"]["value"]:g} {e["fields"]["activity"]["unit"]}', e["fields"]["supervising_au"],
                  e["fields"]["case_reference"], _status(e, t)] for e in _live(entries, "case")]
    category_rows = [[category, t(label), sum(1 for e in _live(entries, "case") if e["fields"]["category"] == category
                                            and e.get("status") == "verified"),
                      sum(1 for e in _live(entries, "case") if e["fields"]["category"] == category
                          and e.get("status") != "rejected")]
                     for category, label in CASE_CATEGORIES.items()]
    progress_rows = [[r["title"], r["citation"], f'{_hours(r["have_verified"])} / {_hours(r["have_total"])}',
                      _hours(r["need"]) if r["need"] is not None else "", t(_STATUS[r["status"]])]
                     for r in state["progress"]["requirements"]]
    plan = state.get("plan") or {}
    sections = [
        f"<h2>{escape(t('1. Classroom and laboratory training'))}</h2>",
        _table(t("Hours by topic (10 CFR 35.390(b)(1)(i)(A)–(E))"),
               [t("Provider"), t("Dates"), *(t(TOPICS[k]) for k in topic_ids), t("Total hours"), t("Certificate"),
                t("Status")], didactic_rows),
        f"<h2>{escape(t('2. Supervised work experience'))}</h2>",
        _table(t("Work experience by item (10 CFR 35.390(b)(1)(ii))"),
               [t("Item"), t("Description"), t("Date"), t("Hours"), t("Supervising Authorized User"), t("Site"),
                t("Status")], work_rows),
        f"<h2>{escape(t('3. Administrations (clinical cases)'))}</h2>",
        _table(t("Cases by category (10 CFR 35.390(b)(1)(ii)(G))"),
               [t("Category"), t("Description"), t("Verified"), t("Logged, not rejected")], category_rows),
        _table(t("Case log"), [t("Category"), t("Date"), t("Radiopharmaceutical"), t("Activity"),
                               t("Supervising Authorized User"), t("Case reference"), t("Status")], case_rows),
        f"<h2>{escape(t('4. Progress against the requirements'))}</h2>",
        _table(t("Requirements"), [t("Requirement"), t("Citation"), t("Verified / logged"), t("Needed"), t("Status")],
               progress_rows),
        f"<h2>{escape(t('5. Preceptor attestation'))}</h2>",
        f"<p>{escape(t('NRC Form 313A(AUT) documents training and experience for uses under 10 CFR 35.300 (an Agreement State may use its own form). This summary is a worksheet to complete it from with your preceptor; it is not the form.'))}</p>",
        "<dl class=\"sign\">" + "".join(f"<dt>{escape(t(label))}</dt><dd></dd>" for label in (
            "Preceptor name", "Preceptor signature", "Date", "License or permit on which the preceptor is an Authorized User")) + "</dl>",
    ]
    generated = datetime.now(timezone.utc).date().isoformat()
    title = t("Training and experience summary for Authorized User attestation")
    facts = [(t("Learner"), f"{name} ({name_note})" if name_note else name), (t("Generated"), generated),
             (t("Planned application date"), plan.get("application_date") or "—"),
             (t("Categories sought"), ", ".join(plan.get("categories") or []) or "—"),
             (t("Requirement sets"), "; ".join(s.title for s in sets))]
    header = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in facts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_PRINT_CSS}</style></head><body><main>"
            f"<h1>{escape(title)}</h1><dl>{header}</dl>{''.join(str(s) for s in sections)}</main></body></html>\n")


_STATUS = {"met": "Met", "awaiting_verification": "Awaiting verification", "not_met": "Not yet met",
           "not_sought": "Not sought"}
_PRINT_CSS = ("body{font:11pt/1.4 sans-serif;margin:1.5cm}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}"
              "th,td{border:1px solid #444;padding:.2em .4em;text-align:left;vertical-align:top}"
              "caption{text-align:left;font-weight:bold}h2{font-size:13pt;margin-top:1.2em;break-after:avoid}"
              "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
              ".sign dd{border-bottom:1px solid #000;min-height:2em}tr{break-inside:avoid}")
