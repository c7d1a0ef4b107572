"""The quiz's Studio editor: a form with every setting and the bank as OLX `<question>` elements.

Contract: `studio_form(block, questions_xml)` returns the form's HTML (a label for every control,
help text from the fields). `read_submission(data)` turns a submitted form into
`(settings, questions, problems)`: `problems` lists every reason the bank cannot be saved (bad
XML, a DTD, the bank rules of `bank.bank_errors`); the block saves only when it is empty.
"""
from __future__ import annotations

from lxml import etree
from markupsafe import escape
from xblock.fields import Boolean, String

from rpt_xblocks import safe_xml
from rpt_xblocks.quiz import bank
from rpt_xblocks.quiz.numeric import unit_problem
from rpt_xblocks.translation import _

MAX_SUBMISSION_BYTES = 2 * 1024 * 1024
SETTINGS = ("display_name", "max_attempts", "show_answer", "show_correctness", "grading_method", "weight",
                    "draw", "shuffle_choices")


def studio_form(block, questions_xml: str) -> str:
    """The Studio editor's HTML: one labelled control per setting and a textarea for the bank."""
    t = block.ugettext
    rows = []
    for name in SETTINGS:
        field = block.fields[name]
        value = getattr(block, name)
        control_id = f"rpt-quiz-{name}"
        label = f'<label for="{control_id}">{escape(t(field.display_name))}</label>'
        if isinstance(field, Boolean):  # before `values`: XBlock gives Booleans True/False values too
            control = f'<input type="checkbox" id="{control_id}" name="{name}"{" checked" if value else ""}>'
        elif field.values:
            options = "".join(f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(v)}</option>'
                              for v in field.values)
            control = f'<select id="{control_id}" name="{name}">{options}</select>'
        else:
            kind = "text" if isinstance(field, String) else "number"
            control = f'<input type="{kind}" id="{control_id}" name="{name}" value="{escape(str(value))}">'
        rows.append(f'<div class="rpt-quiz-setting">{label}{control}<p class="rpt-quiz-help">{escape(t(field.help))}</p></div>')
    return (
        '<form class="rpt-quiz-studio">' + "".join(rows)
        + f'<label for="rpt-quiz-questions">{escape(t("Questions (OLX question elements)"))}</label>'
        + f'<textarea id="rpt-quiz-questions" name="questions_xml" rows="24" cols="100" spellcheck="false">{escape(questions_xml)}</textarea>'
        + '<div class="rpt-quiz-studio-problems" role="alert"></div>'
        + f'<button type="submit" class="rpt-quiz-save">{escape(t("Save"))}</button> '
        + f'<button type="button" class="rpt-quiz-cancel">{escape(t("Cancel"))}</button></form>')


def read_submission(data: dict):
    fields = {name: data.get(name) for name in SETTINGS}
    questions_xml = data.get("questions_xml")
    if not isinstance(questions_xml, str) or any(value is None for value in fields.values()):
        return None, [], [_("The form is incomplete: reload the editor.")]
    root = etree.Element(bank.TAG, {name: str(value).lower() if isinstance(value, bool) else str(value)
                                    for name, value in fields.items()})
    try:
        for child in safe_xml.parse(f"<questions>{questions_xml}</questions>".encode("utf-8")):
            root.append(child)
    except safe_xml.DtdRefused:
        return None, [], [_("The questions may not declare a DOCTYPE or entities.")]
    except etree.XMLSyntaxError as error:
        return None, [], [_("The questions are not well-formed XML: {error}").format(error=error)]
    settings, questions, errors = bank.quiz_from_xml(root)
    errors += bank.bank_errors(settings, questions, unit_problem)
    return settings, questions, [message for _location, message in errors]
