"""The Studio editor our blocks share: their settings as labelled controls, and their content as
OLX child elements in a textarea, saved all together or not at all.

Contract: `studio_form(block, names, content_label, content_xml, prefix)` returns the form's HTML:
one labelled control per setting (`names` are the block's fields; help text from the fields), a
labelled textarea `content_xml`, an alert region for problems, Save and Cancel. `static/studio_form.js`
posts it to the block's `studio_submit` handler. `element_from_submission(tag, data, names)` rebuilds
the block's OLX element from a submission: `(element, [])`, or `(None, problems)` for a missing
field, a DTD or XML that is not well-formed.
"""
from __future__ import annotations

from importlib import resources

from lxml import etree
from markupsafe import escape
from xblock.fields import Boolean, String

from rpt_xblocks import safe_xml
from rpt_xblocks.translation import _

MAX_SUBMISSION_BYTES = 2 * 1024 * 1024
CONTENT_KEY = "content_xml"
JAVASCRIPT = resources.files("rpt_xblocks").joinpath("static/studio_form.js").read_text("utf-8")


def _control(block, name: str, control_id: str) -> str:
    field = block.fields[name]
    value = getattr(block, name)
    if isinstance(field, Boolean):  # before `values`: XBlock gives Booleans True/False values too
        return f'<input type="checkbox" id="{control_id}" name="{name}"{" checked" if value else ""}>'
    if field.values:
        options = "".join(f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(v)}</option>'
                          for v in field.values)
        return f'<select id="{control_id}" name="{name}">{options}</select>'
    kind = "text" if isinstance(field, String) else "number"
    return f'<input type="{kind}" id="{control_id}" name="{name}" value="{escape(str(value))}">'


def studio_form(block, names, content_label: str, content_xml: str, prefix: str) -> str:
    t = block.ugettext
    rows = []
    for name in names:
        control_id = f"rpt-{prefix}-{name}"
        rows.append(f'<div class="rpt-studio-setting"><label for="{control_id}">{escape(t(block.fields[name].display_name))}</label>'
                    f'{_control(block, name, control_id)}<p class="rpt-studio-help">{escape(t(block.fields[name].help))}</p></div>')
    content_id = f"rpt-{prefix}-content"
    return (
        '<form class="rpt-studio">' + "".join(rows)
        + f'<label for="{content_id}">{escape(t(content_label))}</label>'
        + f'<textarea id="{content_id}" name="{CONTENT_KEY}" rows="24" cols="100" spellcheck="false">{escape(content_xml)}</textarea>'
        + '<div class="rpt-studio-problems" role="alert"></div>'
        + f'<button type="submit" class="rpt-studio-save">{escape(t("Save"))}</button> '
        + f'<button type="button" class="rpt-studio-cancel">{escape(t("Cancel"))}</button></form>')


def element_from_submission(tag: str, data: dict, names) -> tuple[etree._Element | None, list[str]]:
    fields = {name: data.get(name) for name in names}
    content = data.get(CONTENT_KEY)
    if not isinstance(content, str) or any(value is None for value in fields.values()):
        return None, [_("The form is incomplete: reload the editor.")]
    try:
        root = etree.Element(tag, {name: str(value).lower() if isinstance(value, bool) else str(value)
                                   for name, value in fields.items()})
    except ValueError:  # lxml refuses NUL, control characters and U+FFFE/U+FFFF in attribute values
        return None, [_("A setting holds a character XML cannot store (a control character): remove it.")]
    try:
        for child in safe_xml.parse(f"<content>{content}</content>".encode("utf-8")):
            root.append(child)
    except safe_xml.DtdRefused:
        return None, [_("The content may not declare a DOCTYPE or entities.")]
    except etree.XMLSyntaxError as error:
        return None, [_("The content is not well-formed XML: {error}").format(error=error)]
    return root, []
