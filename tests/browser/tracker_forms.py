"""Filling the tracker's forms in the browser as a learner does (Playwright locators of the
`.rpt-tracker` block, found by their labels): shared by the tracker's browser tests and the
screenshot catalogue. Each function fills and submits nothing but what its name says."""
from __future__ import annotations

import re

from playwright.sync_api import expect

TOPICS = ("Radiation physics and instrumentation", "Radiation protection",
          "Mathematics pertaining to the use and measurement of radioactivity",
          "Chemistry of byproduct material for medical use", "Radiation biology")


def save_plan(tracker, date: str = "2027-06-01", category: str = "^G3: Parenteral") -> None:
    """Set the planned application date and one category, press Save plan, wait for "Saved."."""
    tracker.get_by_label("Planned application date").fill(date)
    tracker.get_by_label(re.compile(category)).check()
    tracker.get_by_role("button", name="Save plan").click()
    expect(tracker.locator('[role="status"]')).to_have_text("Saved.")


def fill_classroom_training(tracker, hours: str = "40") -> None:
    """Fill the form with a classroom and laboratory training entry of `hours` in every topic (not sent)."""
    tracker.get_by_label("Kind of entry").select_option(label="Classroom and laboratory training")
    tracker.get_by_label("Training provider").fill("Regional training center")
    tracker.get_by_label("First day").fill("2026-01-05")
    tracker.get_by_label("Last day").fill("2026-03-27")
    for topic in TOPICS:
        tracker.get_by_label(f"Hours: {topic}", exact=True).fill(hours)


def fill_case(tracker, reference: str, preceptor: str = "preceptor", date: str = "2026-10-01") -> None:
    """Fill the form with a G3 Lu-177 dotatate case naming `preceptor` as the supervising AU's username (not sent)."""
    tracker.get_by_label("Kind of entry").select_option(label="Clinical case")
    tracker.get_by_label("Date", exact=True).fill(date)
    tracker.get_by_label("Category").select_option(value="G3")
    tracker.get_by_label("Radiopharmaceutical").fill("Lu-177 dotatate")
    tracker.get_by_label(re.compile("^Administered activity")).fill("200 mCi")
    tracker.get_by_label("Supervising Authorized User", exact=True).fill("Dr Preceptor AU")
    tracker.get_by_label(re.compile("^Preceptor's username")).fill(preceptor)
    tracker.get_by_label(re.compile("^De-identified case reference")).fill(reference)


def add_entry(tracker, expected_number: str) -> None:
    """Press Add entry and wait for the status "Entry <expected_number> added."."""
    tracker.get_by_role("button", name="Add entry").click()
    expect(tracker.locator('[role="status"]')).to_have_text(f"Entry {expected_number} added.")
