"""course_scenarios: OLX file mapping -> workbench scenarios (no Django, no server)."""
from __future__ import annotations

import pytest
from lxml import etree
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from rpt_course.preview import course_files, set_course_files
from rpt_course.preview.scenarios import course_scenarios
from rpt_course.preview.server import serve
from rpt_xblocks.author_input.problems import ProblemsFound

# XBlock's own TestRuntime trips XBlock's deprecation of Runtime.user_id; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:Runtime.user_id is deprecated")


def render_components(xml: str) -> list[tuple[str, str]]:
    """(block type, student view HTML) of each child of a scenario, rendered by the SDK's own blocks."""
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})  # state per block
    vertical = runtime.get_block(runtime.parse_xml_string(xml))
    assert vertical.scope_ids.block_type == "vertical_demo"
    children = [runtime.get_block(child) for child in vertical.children]
    return [(child.scope_ids.block_type, _student_view(child).content) for child in children]


def _student_view(block):
    """The block's own student_view fragment (unwrapped); the SDK's demo blocks only have a fallback view."""
    view = getattr(block, "student_view", None)
    return view({}) if view else block.fallback_view("student_view", {})


def with_changes(files: dict[str, bytes], **changes: bytes | None) -> dict[str, bytes]:
    """A copy of `files` with keys given as `course__html__x_html` (for course/html/x.html) replaced or removed."""
    changed = dict(files)
    for key, data in changes.items():
        path = key.replace("__", "/").replace("_DOT_", ".")
        if data is None:
            del changed[path]
        else:
            changed[path] = data
    return changed


def test_one_scenario_per_unit_in_course_order_named_to_sort_in_that_order(fixture_course_files):
    scenarios = course_scenarios(fixture_course_files)
    assert [(name, description) for name, description, _ in scenarios] == [
        ("course.0001", "Orientation › The AU pathway › Why AUs matter"),
        ("course.0002", "Orientation › The AU pathway › What training costs"),
        ("course.0003", "Orientation › Preview tools › Installed and missing components"),
        ("course.0004", "Radiation safety › Basics — units & limits › Dose limits"),
    ]
    names = [name for name, _, _ in scenarios]
    assert sorted(names) == names


def test_html_components_become_html_demo_in_unit_order(fixture_course_files):
    xml = dict((name, xml) for name, _, xml in course_scenarios(fixture_course_files))["course.0004"]
    rendered = render_components(xml)
    assert [block_type for block_type, _ in rendered] == ["html_demo", "html_demo"]
    assert "<h2>Occupational dose limits</h2>" in rendered[0][1]
    assert "50\u00a0mSv" in rendered[0][1]
    assert rendered[1][1].strip() == "<p>In short: keep doses as low as reasonably achievable.</p>"


def test_dollars_survive_the_sdk_template_substitution(fixture_course_files):
    xml = dict((name, xml) for name, _, xml in course_scenarios(fixture_course_files))["course.0002"]
    ((_, html),) = render_components(xml)
    assert "<p>The course fee is $250 per seat; ${name}, $name and $$ stay as written.</p>" in html
    assert 'href="https://example.org/fees?a=$1"' in html and 'title="Fees in $"' in html
    assert "<!-- a comment with $money must not break the page -->" in html


def test_static_and_jump_links_point_into_the_preview(fixture_course_files):
    xml = dict((name, xml) for name, _, xml in course_scenarios(fixture_course_files))["course.0004"]
    html = render_components(xml)[0][1]
    assert '<img src="/course-static/figure.svg" alt="Bar chart comparing annual dose limits"/>' in html
    assert '<a href="/scenario/course.0001/">why Authorized Users matter</a>' in html


def test_the_replace_urls_service_points_block_links_as_the_lessons_are_pointed(fixture_course_files, monkeypatch):
    from rpt_course.preview import links
    from rpt_course.preview.scenarios import jump_targets

    targets = jump_targets(fixture_course_files)
    assert targets["why_aus"] == targets["why_aus_text"] == "course.0001"  # a unit and its lesson
    assert targets["dose_limits"] == "course.0004"
    monkeypatch.setattr(links, "course_jump_targets", lambda: targets)
    service = links.PreviewReplaceURLService()
    url_name, scenario = "dose_limits", "course.0004"
    assert service.replace_urls(f'"/jump_to_id/{url_name}"') == f'"/scenario/{scenario}/"'
    assert service.replace_urls(f'<a href=\\"/jump_to_id/{url_name}#x\\">') == f'<a href=\\"/scenario/{scenario}/#x\\">'
    assert service.replace_urls(f"'/static/a.png' '/jump_to_id/{url_name}'", static_replace_only=True) == \
        f"'/course-static/a.png' '/jump_to_id/{url_name}'"
    for left in ('"/jump_to_id/no_such_block"', "/jump_to_id/" + url_name, '"https://example.org/jump_to_id/x"'):
        assert service.replace_urls(left) == left


def test_unknown_jump_targets_and_other_links_are_left_alone(fixture_course_files):
    files = with_changes(fixture_course_files, course__html__limits_summary_DOT_html=(
        b'<p><a href="/jump_to_id/no_such_block">gone</a> <a href="https://example.org/static/x">out</a>'
        b' <img src="/static/a.png" srcset="/static/a.png 1x, /static/a@2x.png 2x" alt="a"/></p>'))
    xml = course_scenarios(files)[3][2]
    html = render_components(xml)[1][1]
    assert 'href="/jump_to_id/no_such_block"' in html
    assert 'href="https://example.org/static/x"' in html
    assert 'srcset="/course-static/a.png 1x, /course-static/a@2x.png 2x"' in html


def test_an_installed_xblock_is_copied_unchanged_and_a_missing_one_gets_a_visible_note(fixture_course_files):
    xml = dict((name, xml) for name, _, xml in course_scenarios(fixture_course_files))["course.0003"]
    vertical = etree.fromstring(xml)
    source = etree.fromstring(fixture_course_files["course/vertical/tools.xml"])
    assert etree.tostring(vertical[1]) == etree.tostring(source[1], with_tail=False)  # helloworld_demo
    assert [block_type for block_type, _ in render_components(xml)] == ["html_demo", "helloworld_demo", "html_demo"]
    note = render_components(xml)[2][1]
    assert "This component (rpt_example_missing) is not installed in this preview." in note
    assert "<choice" not in note


def test_inline_structure_is_walked_like_pointers(fixture_course_files):
    files = with_changes(fixture_course_files, course__sequential__b_tools_DOT_xml=(
        b'<sequential display_name="Preview tools"><vertical url_name="inline_unit" display_name="Inline unit">'
        b'<html url_name="inline_text" display_name="Inline"><p>Written inline.</p></html></vertical></sequential>'))
    name, description, xml = course_scenarios(files)[2]
    assert (name, description) == ("course.0003", "Orientation › Preview tools › Inline unit")
    assert render_components(xml) == [("html_demo", "<p>Written inline.</p>")]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"course__vertical__fees_DOT_xml": None},
     "course/sequential/m_pathway.xml:3: <vertical url_name=\"fees\"/> points to course/vertical/fees.xml, "
     "which is missing"),
    ({"course__html__fees_text_DOT_html": None},
     "course/html/fees_text.xml:1: filename=\"fees_text\" needs course/html/fees_text.html, which is missing"),
    ({"course__html__fees_text_DOT_html": b"<p>one</p>\n<p>two</b>\n"},
     "course/html/fees_text.html:2: not well-formed XML"),
    ({"course__html__fees_text_DOT_html": b"<p>a&nbsp;b</p>"},
     "course/html/fees_text.html:1: not well-formed XML"),
    ({"course__chapter__aa_safety_DOT_xml": b"<sequential display_name='x'/>"},
     "course/chapter/aa_safety.xml:1: root element is <sequential>, expected <chapter>"),
    ({"course__course_DOT_xml": None}, "course/course.xml: file is missing"),
    ({"course__vertical__fees_DOT_xml": b'<!DOCTYPE vertical><vertical><html url_name="fees_text"/></vertical>'},
     "course/vertical/fees.xml:1: has a DOCTYPE"),
])
def test_broken_olx_is_reported_with_its_path_and_line(fixture_course_files, changes, expected):
    with pytest.raises(ProblemsFound) as raised:
        course_scenarios(with_changes(fixture_course_files, **changes))
    assert [str(problem) for problem in raised.value.problems][0].startswith(expected)


def test_entities_are_never_expanded_and_a_dtd_is_refused(fixture_course_files, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    files = with_changes(fixture_course_files, course__vertical__fees_DOT_xml=(
        f'<!DOCTYPE vertical [<!ENTITY leak SYSTEM "file://{secret}"><!ENTITY big "{"x" * 50}">]>'
        '<vertical display_name="&leak;&big;"><html url_name="fees_text"/></vertical>').encode())
    with pytest.raises(ProblemsFound) as raised:
        course_scenarios(files)
    assert "course/vertical/fees.xml:1: has a DOCTYPE" in str(raised.value)
    assert "TOP-SECRET" not in str(raised.value)


def test_a_course_built_by_rpt_course_previews_every_unit(good_course):
    """Integration with the builder: what `rpt-course preview` hands to the preview renders in full."""
    from rpt_course.build import build_files

    _, files = build_files(good_course)
    scenarios = course_scenarios(files)
    assert len(scenarios) == len([path for path in files if path.startswith("course/vertical/")])
    for _, _, xml in scenarios:
        assert all(html.strip() for _, html in render_components(xml))  # no Template error, nothing empty


def test_set_course_files_keeps_its_own_copy():
    files = {"course/static/a.txt": b"first"}
    set_course_files(files)
    files["course/static/a.txt"] = b"changed"
    assert course_files()["course/static/a.txt"] == b"first"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com", ""])
def test_serve_refuses_a_host_that_is_not_loopback(fixture_course_files, host):
    with pytest.raises(ValueError, match="loopback"):
        serve(fixture_course_files, host=host, port=1)
