"""Drive a live preview with real concurrent HTTP requests, and read its replies.

- `Block`: one block of the fixture course (usage id and a CSRF token from one page load); `post`
  calls a handler as any `?student=` user. Thread-safe: each request is its own connection.
- `at_once(calls)`: run callables in threads released together by a barrier (bounded in count, and
  every request has a timeout), returning each one's result or exception.
- JSON shapes: every read of a handler's reply is in the "shapes" section below, so that a change of
  the replies (e.g. the storage rewrite paginating the staff queue) is adapted in one place.
- Violations are collected, not asserted one at a time: a run reports every broken invariant.
"""
from __future__ import annotations

import html
import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REQUEST_TIMEOUT = 60  # seconds, per request

# The fixture course's units (fixtures/olx/course/sequential/units.xml), one per test.
TRACKER = ("/scenario/course.0001/", "rpt_prereq_tracker")
TRACKER_BURSTS = ("/scenario/course.0002/", "rpt_prereq_tracker")
QUIZ = ("/scenario/course.0003/", "rpt_quiz")
QUIZ_BURSTS = ("/scenario/course.0004/", "rpt_quiz")
WALKTHROUGH = ("/scenario/course.0005/", "rpt_dosimetry")
QUIZ_MAX_ATTEMPTS = 2  # fixtures/olx/course/vertical/quiz.xml
QUIZ_MAX_CHECKS = 3  # fixtures/olx/course/vertical/quiz_bursts.xml
STEP_ATTEMPTS = 2  # fixtures/olx/course/vertical/walkthrough.xml
FIRST_STEP = "remaining"


STAFF = ("staff", "staff2", "staff3")  # the preview's course staff (RPT_PREVIEW_STAFF): the preceptors


@dataclass(frozen=True)
class Preview:
    """A live preview: base URL (no trailing slash), a label for reports, the server's output file."""

    base_url: str
    label: str
    output: Path


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    @property
    def data(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def brief(self) -> str:
        """The status and the gist of the body: the JSON, or the title of Django's error page."""
        title = re.search(rb"<title>\s*(.*?)\s*</title>", self.body, re.S)
        if title:
            value = re.search(rb'<pre class="exception_value">\s*(.*?)\s*</pre>', self.body, re.S)
            text = title.group(1) + (b": " + value.group(1) if value else b"")
            return f"{self.status} {' '.join(html.unescape(text.decode(errors='replace')).split())[:240]}"
        return f"{self.status} {self.body[:200]!r}"


class Block:
    """One block of the previewed course, called as any user."""

    def __init__(self, preview: Preview, unit: tuple[str, str]):
        path, tag = unit
        self.preview, self.base = preview, preview.base_url
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar := http.cookiejar.CookieJar()))
        with opener.open(f"{self.base}{path}?student=page-loader", timeout=REQUEST_TIMEOUT) as response:
            page = response.read().decode()
        self.usage = re.search(rf"data-usage='([^']+)' data-block-type='{tag}'", page).group(1)
        self.csrf = next(c.value for c in jar if c.name == "csrftoken")

    def post(self, student: str, handler: str, data: dict | None = None) -> Reply:
        body = json.dumps({} if data is None else data).encode()
        request = urllib.request.Request(
            f"{self.base}/handler/{self.usage}/{handler}/?student={student}", data=body, method="POST",
            headers={"Content-Type": "application/json", "Referer": self.base + "/", "X-CSRFToken": self.csrf,
                     "Cookie": f"csrftoken={self.csrf}"})
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
                return Reply(response.status, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read())

    def state(self, student: str, problems: "Violations | None" = None) -> dict | None:
        """The `state` handler's reply as `student`; when it is not 200, a violation in `problems`
        and None (AssertionError without `problems`)."""
        reply = self.post(student, "state")
        if reply.status != 200:
            if problems is None:
                raise AssertionError(f"state as {student}: {reply.brief()}")
            problems.check(False, f"state as {student} was answered {reply.brief()}")
            return None
        return reply.data


def at_once(calls: list, timeout: float = 120) -> list:
    """Run every callable in `calls` in its own thread, all released together; their results (an
    exception is returned in place of the result it interrupted)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001  (reported by the caller)
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise AssertionError(f"a request thread did not finish within {timeout} s")
    return results


def client_id() -> str:
    return str(uuid.uuid4())


def run_id() -> str:
    """Eight random letters naming one run's learners and entries (letters only: a run of six digits
    in a case reference is refused as a possible medical record number)."""
    return "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:8])


@dataclass
class Violations:
    """Broken invariants of one run, reported together (with the server label)."""

    label: str
    found: list = field(default_factory=list)

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.found.append(message)

    def assert_none(self, preview: Preview | None = None) -> None:
        if self.found:
            kinds = Counter(re.sub(r"\S*-[a-z]{8}-\S*|\be\d+\b|\[[^]]*\]|\d+", "#", m)[:110] for m in self.found)
            summary = "\n".join(f"  {n:4d} x {kind}" for kind, n in kinds.most_common())
            shown = "\n  - ".join(self.found[:40])
            more = f"\n  ... and {len(self.found) - 40} more" if len(self.found) > 40 else ""
            log = ""
            if preview is not None and preview.output.exists():
                errors = [line[:200] for line in preview.output.read_text(errors="replace").splitlines()
                          if line.startswith(("Traceback", "[")) and ("ERROR" in line or "Error" in line)]
                log = "\nserver errors (first lines):\n    " + "\n    ".join(errors[:10]) if errors else ""
            raise AssertionError(f"[{self.label}] {len(self.found)} invariant(s) broken, by kind:\n{summary}\n"
                                 f"first ones:\n  - {shown}{more}{log}")


# ---- shapes: every read of a handler's JSON reply ------------------------------------------------

def case_entry(marker: str, client: str | None) -> dict:
    """An `add_entry` body: a case whose `case_reference` carries `marker` (so that it is found in the
    learner's state whether or not the storage keeps `client_id`), with the page's `client_id`."""
    body = {"kind": "case", "fields": {"date": "2026-10-01", "category": "G3", "radiopharmaceutical": "Ra-223 dichloride",
                                       "activity": "3.85 MBq", "supervising_au": "Preceptor AU",
                                       "case_reference": marker, "notes": ""}}
    if client is not None:
        body["client_id"] = client
    return body


def live_entries(state: dict) -> list[dict]:
    """The learner's live (not deleted) entries, as the tracker's `state` reply shows them."""
    return [e for e in state["entries"] if not e.get("deleted")]


def entry_marker(entry: dict) -> str:
    return entry["fields"]["case_reference"]


def entry_status(entry: dict) -> str:
    return entry["status"]  # "pending", "verified" or "rejected"


def decisions_in_trail(state: dict) -> list[tuple[str, str, str]]:
    """(entry id, decision, by) of every preceptor decision in the learner's own audit trail."""
    return [(event["entry"], event["action"], event["by"]) for event in state["audit"]
            if event.get("action") in ("verified", "rejected")]


def learner_met(state: dict) -> list[str]:
    """The requirements ("set:requirement") the learner's own progress shows as met."""
    return sorted(f"{r['set_id']}:{r['requirement_id']}" for r in state["progress"]["requirements"] if r["status"] == "met")


def staff_review(block: Block, staff: str) -> dict:
    """What staff see: {"pending": [(learner, entry id, marker)], "learners": n, "counts": {req: n}}.
    Reads every page when the queue is paginated (`review` with `page`/`total`; further pages are
    asked for with {"page": n} — adapt here if the rewrite names it otherwise)."""
    state = block.state(staff)
    review = state["review"]
    pending = []
    page = review.get("page", 1)
    while True:
        for learner in review["pending"]:
            pending.extend((learner["learner"], e["id"], entry_marker(e)) for e in learner["entries"])
        total = review.get("total")
        if total is None or len(pending) >= total or not review["pending"]:
            break
        page += 1
        review = block.post(staff, "state", {"page": page}).data["review"]
    return {"pending": pending, "learners": review["learners"], "counts": dict(review["counts"])}


def shown_choice_ids(block: "Block", student: str, question: str) -> list[str]:
    """The ids the quiz shows `student` for `question`'s choices, in the order shown (the learner's
    own stand-ins: the browser answers with these, never with the authors' ids)."""
    state = block.state(student)
    shown = next(q for q in state["questions"] if q["id"] == question)
    return [choice["id"] for choice in shown["choices"]]


def quiz_attempts(state: dict) -> int:
    return state["attempts"]


def analysis_counts(reply: dict) -> tuple[int, dict[str, int]]:
    """(learners, question id -> responses) of the quiz's `item_analysis` reply."""
    return reply["learners"], {q["id"]: q["responses"] for q in reply["questions"]}


def step_attempts_used(state: dict, step: str) -> tuple[int | None, bool]:
    """(attempts the walkthrough's state shows used on `step`, whether it is finished). A finished
    step shows no count: None, unless it was answered wrong (then all its attempts were used)."""
    current = state.get("current")
    if current and current["id"] == step:
        return STEP_ATTEMPTS - current["attempts_left"], False
    done = next((s for s in state["finished"] if s["id"] == step), None)
    if done is None:
        return 0, False
    return (None if done["correct"] else STEP_ATTEMPTS), True


CORRECTNESS_KEYS = frozenset({"status", "score", "feedback", "results", "correct", "last", "questions",
                              "revealed", "reference", "finished", "can_show_answer"})


def reveals_correctness(data) -> set:
    """The correctness-bearing keys anywhere in a refused reply's JSON."""
    found = set()
    if isinstance(data, dict):
        found |= CORRECTNESS_KEYS & set(data)
        for value in data.values():
            found |= reveals_correctness(value)
    elif isinstance(data, list):
        for value in data:
            found |= reveals_correctness(value)
    return found


def recount(learner_states: dict[str, dict]) -> tuple[int, dict[str, int]]:
    """(learners who logged anything, requirement -> learners meeting it) from the learners' own states."""
    met = Counter()
    learners = 0
    for state in learner_states.values():
        if state["entries"]:
            learners += 1
            met.update(learner_met(state))
    return learners, dict(met)
