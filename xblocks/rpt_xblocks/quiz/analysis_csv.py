"""The item analysis as CSV text for a spreadsheet. Pure functions.

Contract: `csv_text(rows)` writes `rows` (lists of cells) as CSV, every cell made safe to open in a
spreadsheet: a text cell that begins with =, +, -, @, a tab or a carriage return (which a
spreadsheet would run as a formula: "CSV injection") gets a leading apostrophe, so it shows as text.
Numbers (int, float) are written as they are, so negative discrimination indices stay numbers.
`analysis_rows(report, header)` turns the staff report (staff_reports.analysis_report) into rows:
one per option of each choice or true/false question (its text and how many submissions chose it),
one per other question.
"""
from __future__ import annotations

import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def analysis_rows(report: list[dict], header: list[str]) -> list[list]:
    rows = [header]
    for item in report:
        common = [item["id"], item["prompt"], item["type"], item["responses"], item["unanswered"],
                  item["percent_correct"], item["discrimination"]]
        for option in item["options"] or [{"text": "", "count": None}]:
            rows.append(common + [option["text"], option["count"]])
    return rows
