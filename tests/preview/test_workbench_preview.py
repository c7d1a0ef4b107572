"""The preview served by the real xblock-sdk workbench (Django's development server, in a subprocess)."""
from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import pytest

FIXTURE_OLX = Path(__file__).parent / "fixtures" / "olx"

# The fixture course (tests/preview/fixtures/olx), in course order. Its url_names are deliberately
# not alphabetical, so a preview that sorted by url_name or file name would fail here.
UNITS = [
    ("course.0001", "Orientation › The AU pathway › Why AUs matter",
     ["Only an Authorized User may direct the medical use of byproduct material."]),
    ("course.0002", "Orientation › The AU pathway › What training costs",
     ["The course fee is $250 per seat; ${name}, $name and $$ stay as written."]),
    ("course.0003", "Orientation › Preview tools › Installed and missing components",
     ["This unit mixes a lesson with two other components.", "Hello, World!",
      "This component (rpt_example_missing) is not installed in this preview."]),
    ("course.0004", "Radiation safety › Basics — units & limits › Dose limits",
     ["The annual limit for the total effective dose equivalent is 50\u00a0mSv (5\u00a0rem).",
      "In short: keep doses as low as reasonably achievable."]),
]


def get(server, path: str, **headers) -> tuple[int, dict[str, str], bytes]:
    """GET `path` exactly as written (no normalisation of `..`), returning status, headers, body."""
    host, port = urllib.parse.urlsplit(server.base_url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def index_links(html: str) -> list[tuple[str, str]]:
    """(href, "Module › Section › Unit") of every unit link of the course outline (the index page:
    `<h2>` module, `<h3>` section, then its units' links), in page order."""
    main = re.search(r'<main [^>]*>(.*?)</main>', html, re.S).group(1)
    found, module, section = [], "", ""
    for tag, href, text in re.findall(r'<(h2|h3|a)(?: href="([^"]+)")?>([^<]*)</(?:h2|h3|a)>', main):
        text = unescape(text)
        if tag == "h2":
            module = text
        elif tag == "h3":
            section = text
        else:
            found.append((href, f"{module} › {section} › {text}"))
    return found


def rendered_unit(html: str) -> str:
    """The HTML of the rendered unit only (not the page's outline, header or previous/next)."""
    return re.search(r'<div class="preview student_view">(.*?)</div><!-- end of unit -->', html, re.S).group(1)


def unit_heading(html: str) -> str:
    """"Module › Section › Unit" as the unit page's breadcrumb and `<h1>` show it."""
    crumb = re.search(r'<p class="rpt-breadcrumb">(.*?)</p>', html, re.S).group(1)
    title = re.search(r'<h1>(.*?)</h1>', html, re.S).group(1)
    return " ".join(text_of(crumb + " › " + title).split())


def text_of(html: str) -> str:
    """The visible text of a page, tags removed and entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_index_lists_every_unit_in_course_order_and_nothing_else(preview_server):
    status, _, body = get(preview_server, "/")
    assert status == 200
    assert index_links(body.decode()) == [(f"/scenario/{name}/", description) for name, description, _ in UNITS]


@pytest.mark.parametrize(("name", "description", "texts"), UNITS, ids=[unit[0] for unit in UNITS])
def test_every_unit_page_shows_its_lesson_text(preview_server, name, description, texts):
    status, _, body = get(preview_server, f"/scenario/{name}/")
    assert status == 200
    assert unit_heading(body.decode()) == description
    unit = text_of(rendered_unit(body.decode()))
    for text in texts:
        assert text in unit


def test_dollar_signs_render_literally_in_text_and_attributes(preview_server):
    _, _, body = get(preview_server, "/scenario/course.0002/")
    html = rendered_unit(body.decode())
    assert "The course fee is $250 per seat; ${name}, $name and $$ stay as written." in html
    assert 'href="https://example.org/fees?a=$1"' in html
    assert 'title="Fees in $"' in html
    assert "$$" not in html.replace("and $$ stay", "")


def test_static_links_point_at_the_course_static_route_which_serves_the_file(preview_server, fixture_course_files):
    _, _, body = get(preview_server, "/scenario/course.0004/")
    assert 'src="/course-static/figure.svg"' in rendered_unit(body.decode())
    status, headers, data = get(preview_server, "/course-static/figure.svg")
    assert status == 200
    assert headers["content-type"] == "image/svg+xml"
    assert data == fixture_course_files["course/static/figure.svg"]


@pytest.mark.parametrize("path", [
    "/course-static/../x",
    "/course-static/%2e%2e%2fcourse.xml",
    "/course-static/..",
    "/course-static/unknown.svg",
    "/course-static/course.xml",
    "/course-static/policies%2fassets.json",
])
def test_course_static_answers_404_for_anything_but_a_static_file(preview_server, path):
    status, _, body = get(preview_server, path)
    assert status == 404
    assert b"<course " not in body  # never the bytes of course.xml


def test_jump_to_id_links_lead_to_the_unit_that_holds_the_block(preview_server):
    _, _, body = get(preview_server, "/scenario/course.0004/")
    (href,) = re.findall(r'<a href="([^"]+)">why Authorized Users matter</a>', rendered_unit(body.decode()))
    assert href == "/scenario/course.0001/"
    status, _, target = get(preview_server, href)
    assert status == 200 and "Only an Authorized User may direct" in rendered_unit(target.decode())


def test_the_course_survives_the_workbench_reset_state_button(preview_server):
    request = urllib.request.Request(
        preview_server.base_url + "/reset_state", data=b"", method="POST",
        headers={"Referer": preview_server.base_url + "/"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # follows the redirect to the index
        assert response.status == 200
        assert index_links(response.read().decode()) == [(f"/scenario/{n}/", d) for n, d, _ in UNITS]
    status, _, body = get(preview_server, "/scenario/course.0002/")
    assert status == 200 and "The course fee is $250 per seat" in rendered_unit(body.decode())


def test_a_foreign_host_header_is_refused(preview_server):
    status, _, _ = get(preview_server, "/", Host="preview.example.com")
    assert status == 400


def test_state_lives_in_the_state_folder_only(preview_server):
    assert (preview_server.state_dir / "workbench.db").is_file()
    assert (preview_server.state_dir / "workbench.log").is_file()
    assert not (preview_server.working_dir / "var").exists()


WSGI_CLIENT = """
import json, sys
from pathlib import Path
from rpt_course.preview.server import wsgi_application
root = Path(sys.argv[1])
wsgi_application({p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}, sys.argv[2])
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
print(json.dumps({path: client.get(path).status_code for path in sys.argv[3:]}))
"""


def test_wsgi_application_is_the_same_preview_without_a_server(tmp_path):
    """`wsgi_application`, for tests that need no server; in its own process, as Django sets up once per process."""
    paths = ["/", "/scenario/course.0004/", "/scenario/course.0005/", "/course-static/figure.svg"]
    command = [sys.executable, "-c", WSGI_CLIENT, str(FIXTURE_OLX), str(tmp_path / "state"), *paths]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == dict(zip(paths, [200, 200, 404, 200]))
    assert (tmp_path / "state" / "workbench.db").is_file() and not (tmp_path / "var").exists()
