"""The walkthrough's Studio editor in Chromium: accessible; a broken formula is refused on screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser


def test_a_broken_formula_is_refused_on_screen(good_page):
    good_page.goto("/scenario/course.0002/studio_view/?student=staff")  # saving is for staff and authors (olx_block.may_edit)
    form = good_page.locator(".rpt-studio").filter(has=good_page.get_by_label("Attempts per step"))
    expect(form.get_by_label("Attempts per step")).to_have_value("2")
    assert wcag_violations(good_page, UNIT_REGION) == set()
    content = form.get_by_label("Parameters, steps and plot (OLX elements)")
    content.fill(content.input_value().replace("A0 * remaining", "A0 * remainder"))
    form.get_by_role("button", name="Save").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("The walkthrough was not saved: fix these problems.")
    expect(alert).to_contain_text("remainder")
