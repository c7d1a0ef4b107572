"""The quiz's Studio editor in Chromium (the workbench's studio_view): accessible, and an invalid
bank is refused on screen with its reasons while a valid edit saves."""
from __future__ import annotations


import pytest
from playwright.sync_api import expect

from test_preview_in_browser import UNIT_REGION, wcag_violations

pytestmark = pytest.mark.browser
STUDIO = "/scenario/course.0003/studio_view/"


def test_invalid_bank_is_refused_on_screen_and_a_valid_one_saves(good_page):
    good_page.goto(f"{STUDIO}?student=staff")  # saving is for staff and authors (olx_block.may_edit)
    form = good_page.locator(".rpt-studio")
    expect(form.get_by_label("Maximum attempts")).to_have_value("2")
    assert wcag_violations(good_page, UNIT_REGION) == set()

    bank = form.get_by_label("Questions (OLX question elements)")
    original = bank.input_value()
    bank.fill(original.replace(' correct="true"', "", 1))
    form.get_by_role("button", name="Save").click()
    alert = form.get_by_role("alert")
    expect(alert).to_contain_text("The quiz was not saved: fix these problems.")
    expect(alert).to_contain_text("has no correct choice")

    bank.fill(original)
    with good_page.expect_response(lambda r: "studio_submit" in r.url) as reply:
        form.get_by_role("button", name="Save").click()
    assert reply.value.status == 200, reply.value.text()
