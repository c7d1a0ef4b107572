"""Every text the tracker's browser view shows, translated on the server (the script has no gettext).

Contract: `labels(gettext)` -> name -> translated template ({placeholders} filled by the script);
`vocabulary(gettext, sets)` -> the choices the forms offer: entry kinds, topics, work items,
categories, and the declarations the chosen requirement sets ask for, each as {"id", "label"};
`requirements` ("set:requirement" -> label) and `sets` ({"id", "title", "citation"}) name them.
"""
from __future__ import annotations

from rpt_xblocks.tracker.vocabulary import CASE_CATEGORIES, CASE_CATEGORY_SHORT, TOPICS, WORK_ITEMS

_LABELS = {
    "plan": "Your plan", "application_date": "Planned application date", "categories": "Case categories you seek",
    "save_plan": "Save plan", "progress": "Progress", "requirement": "Requirement", "have": "Verified / logged",
    "need": "Needed", "status": "Status", "status_met": "Met", "status_awaiting_verification": "Awaiting verification",
    "status_not_met": "Not yet met", "status_not_sought": "Not sought", "warnings": "Recentness warnings",
    "next_steps": "What's next", "add": "Log an entry", "kind": "Kind of entry", "save_entry": "Add entry",
    "kind_didactic": "Classroom and laboratory training", "kind_work": "Supervised work experience",
    "kind_case": "Clinical case", "kind_declaration": "Declaration",
    "provider": "Training provider", "start": "First day", "end": "Last day", "hours_in": "Hours: {topic}",
    "certificate": "Certificate reference (optional)", "item": "Work-experience item", "date": "Date",
    "hours": "Hours", "supervising_au": "Supervising Authorized User", "site": "Site",
    "description": "What you did (no patient identifiers)", "category": "Category",
    "radiopharmaceutical": "Radiopharmaceutical", "activity": "Administered activity, with its unit (e.g. 7.4 GBq)",
    "case_reference": "De-identified case reference (e.g. LU-2026-014)",
    "notes": "Notes (optional; no patient identifiers)", "requirement_declared": "Requirement",
    "reference": "Reference (optional, e.g. a membership or certificate number)",
    "entries": "Your entries", "entry": "Entry", "delete": "Delete {entry}", "deleted": "Deleted",
    "pending": "Awaiting verification", "verified": "Verified", "rejected": "Rejected",
    "review_by": "{decision} by {by}: {comment}", "audit": "Audit trail", "audit_added": "{by} added {entry}",
    "audit_deleted": "{by} deleted {entry}", "audit_plan": "{by} changed the plan",
    "audit_verified": "{by} verified {entry}", "audit_rejected": "{by} rejected {entry}",
    "export": "Export", "csv": "Download all your records (CSV)", "printable": "Printable summary for your preceptor",
    "saved": "Saved.", "added": "Entry {entry} added.", "removed": "Entry {entry} deleted.",
    "staff": "Preceptor review", "queue_empty": "No entries are waiting for review.",
    "learner": "Learner: {name}", "comment": "Comment for {entry} (required to reject)", "verify": "Verify {entry}",
    "reject": "Reject {entry}", "reviewed": "{entry} {decision}.", "counts": "Learners meeting each requirement",
    "count_row": "{count} of {total}", "error": "Not saved: {message}",
    "queue_page": "Page {page} of {pages}: {total} entries waiting", "previous_page": "Previous page",
    "next_page": "Next page", "filter_au": "Supervising Authorized User named", "filter_all": "Any",
    "confirm_delete": "Delete entry {entry}? It stays in the audit trail as deleted.",
    # issue 17: summary first, details collapsible, entries as a table, corrections, the preceptor view
    "summary": "Your progress", "details": "Requirements in detail", "next_first": "Next: {step}",
    "entries_count": "Entries: {count}", "no_entries": "No entries yet: log your first one above.",
    "col_date": "Date", "col_category": "Category", "col_description": "Description",
    "col_actions": "Actions", "kind_short_didactic": "Classroom training", "kind_short_work": "Work item {item}",
    "kind_short_declaration": "Declaration", "activity_short": "{activity}", "reference_short": "ref. {reference}",
    "hours_short": "{hours} h", "at_site": "at {site}", "username_short": "username {username}",
    "correct": "Correct {entry}", "correction_of": "Correction of {entry}", "corrected_by": "Corrected by {entry}",
    "correcting": "Correcting {entry}: the new entry goes to your preceptor for review; {entry} stays in your "
                  "records as rejected.",
    "cancel_correction": "Cancel the correction", "save_correction": "Send the correction",
    "preceptor": "Preceptor's username on this site (optional: puts the entry in their review queue)",
    "views": "Tracker views", "view_review": "Preceptor review", "view_own": "Your own records",
    "queue_choice": "Show", "queue_mine": "Entries naming you", "queue_all": "All entries waiting",
    "names_preceptor": "Preceptor named: {username}.", "names_no_username": "No preceptor username named.",
    "not_yours": "Only the preceptor it names, or a course Admin, can decide this entry.",
    "override_note": "It names another preceptor (or none): you decide it as a course Admin, and the decision is "
                     "marked as an override.",
    "override": "course Admin override", "audit_override": "{text} (course Admin override)",
}


def labels(gettext) -> dict:
    return {name: gettext(text) for name, text in _LABELS.items()}


def vocabulary(gettext, sets) -> dict:
    declarations = [{"id": r.id, "label": gettext(r.title)} for s in sets for r in s.requirements
                    if r.kind == "declaration"]
    requirements = {f"{s.id}:{r.id}": f"{gettext(s.title)}: {gettext(r.title)}" for s in sets for r in s.requirements}
    return {
        "kinds": [{"id": k, "label": gettext(_LABELS[f"kind_{k}"])} for k in ("didactic", "work", "case", "declaration")],
        "topics": [{"id": k, "label": gettext(v)} for k, v in TOPICS.items()],
        "items": [{"id": k, "label": f"{k}: {gettext(v)}", "short": gettext(v)} for k, v in WORK_ITEMS.items()],
        "categories": [{"id": k, "label": f"{k}: {gettext(v)}", "short": f"{k}: {gettext(CASE_CATEGORY_SHORT[k])}"}
                       for k, v in CASE_CATEGORIES.items()],
        "declarations": declarations, "requirements": requirements,
        "sets": [{"id": s.id, "title": gettext(s.title), "citation": s.citation} for s in sets],
    }
