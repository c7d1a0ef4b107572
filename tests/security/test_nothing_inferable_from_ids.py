"""Issue 14, "nothing inferable": an attacker who sees only what the browser receives before answering
(the student_view fragment's init arguments, the `state` reply, `student_view_data`) and answers by
the choice and step ids alone does no better than chance, and never sees the authors' ids.

The quiz is written the way authors often write: the correct choice of every single-choice question
is `a`, the correct choices of every multiple-choice question are `a` and `b`, and the ordering
steps are `step1`, `step2`, … in the right order. Against the authors' ids each rule below wins
every time (checked as a control); against what the browser now gets, each scores within a
binomial bound of chance, and the ids differ between learners.
"""
from __future__ import annotations

import json
import math
import string
from collections import Counter

import pytest
from webob import Request
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

SINGLE, MULTIPLE, ORDERING = 40, 10, 10
CHOICES, STEPS = ["a", "b", "c", "d"], ["step1", "step2", "step3", "step4"]
LEARNERS = [f"learner-{n}" for n in range(30)]
AUTHOR_IDS = set(CHOICES) | set(STEPS)


def _question(kind: str, n: int) -> str:
    head = f'<question id="{kind}{n}" type="{kind}" citation="Test source {n}"><prompt><p>{kind} question {n}?</p></prompt>'
    if kind == "ordering":
        body = "".join(f'<item id="{s}">Item {k} of question {n}</item>' for k, s in enumerate(STEPS))
    else:
        right = {"a"} if kind == "single" else {"a", "b"}
        correct = ' correct="true"'
        body = "".join(f'<choice id="{c}"{correct if c in right else ""}><text>Option {c} of {n}</text></choice>'
                       for c in CHOICES)
    return head + body + "<explanation><p>Because.</p></explanation></question>"


QUIZ_OLX = ('<rpt_quiz display_name="Habits" max_attempts="1" show_answer="finished" show_correctness="always" '
            'grading_method="best" weight="1.0" draw="0" shuffle_choices="true">'
            + "".join(_question("single", n) for n in range(SINGLE))
            + "".join(_question("multiple", n) for n in range(MULTIPLE))
            + "".join(_question("ordering", n) for n in range(ORDERING)) + "</rpt_quiz>")


@pytest.fixture(scope="module")
def class_of_learners():
    """Per learner: (the block as that learner sees it, what their browser got before answering)."""
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    usage = runtime.parse_xml_string(QUIZ_OLX)
    seen = {}
    for learner in LEARNERS:
        runtime.user_id, runtime.user_is_staff = learner, False
        block = runtime.get_block(usage)
        init = json.loads(block.student_view({}).json_init_args["rpt"])  # the data the runtime embeds in the page
        page = block.render("student_view", {}).content  # the page as the runtime wraps it
        reply = block.handle("state", Request.blank("/", method="POST", body=b"{}"))
        assert reply.status_code == 200
        seen[learner] = {"init": init["state"], "state": json.loads(reply.body), "mobile": block.student_view_data(),
                         "html": page}
    return seen


def _questions(received: dict) -> dict:
    return {q["id"]: q for q in received["state"]["questions"]}


# ---- the attacker's rules: ids in, a guess out --------------------------------------------------------------

def _letters(ids):
    return Counter(ch for i in ids for ch in i if ch in string.ascii_letters)


SINGLE_RULES = {
    "first shown": lambda ids: ids[0],
    "last shown": lambda ids: ids[-1],
    "smallest id": min,
    "largest id": max,
    "shortest id": lambda ids: min(ids, key=lambda i: (len(i), i)),
    "id with the most common letter": lambda ids: max(ids, key=lambda i: sum(_letters(ids)[ch] for ch in i)),
    "id sorting first by its last character": lambda ids: min(ids, key=lambda i: i[::-1]),
}


def _binomial_ceiling(trials: int, p: float) -> float:
    """An accuracy that chance exceeds with probability well under 1e-4 (mean + 4 standard deviations)."""
    return p + 4 * math.sqrt(p * (1 - p) / trials)


@pytest.fixture(scope="module")
def answer_keys(class_of_learners):
    """Per learner and question, the correct answer in that learner's ids (the server's own mapping,
    used only to score the attacker, never by the rules)."""
    from rpt_xblocks.quiz import learner_view
    runtime = TestRuntime(services={"field-data": KvsFieldData(DictKeyValueStore())})
    usage = runtime.parse_xml_string(QUIZ_OLX)
    keys = {}
    for learner in LEARNERS:
        runtime.user_id = learner
        block = runtime.get_block(usage)
        author_key = {**{f"single{n}": "a" for n in range(SINGLE)}, **{f"multiple{n}": ["a", "b"] for n in range(MULTIPLE)},
                      **{f"ordering{n}": list(STEPS) for n in range(ORDERING)}}
        keys[learner] = learner_view.answers_for_browser(block.bank_questions(), author_key, block.stand_in_key())
    return keys


def test_the_rules_win_every_time_against_the_authors_ids():
    """Control: the id rules are real attacks on what the browser used to get (author ids, shuffled)."""
    import random
    shuffles = [random.Random(n).sample(CHOICES, len(CHOICES)) for n in range(20)]
    for name in ("smallest id", "shortest id", "id sorting first by its last character"):
        assert all(SINGLE_RULES[name](ids) == "a" for ids in shuffles), name
    assert all(sorted(random.Random(n).sample(STEPS, len(STEPS))) == STEPS for n in range(20))


@pytest.mark.parametrize("rule", sorted(SINGLE_RULES))
def test_id_rules_score_chance_on_single_choice_questions(class_of_learners, answer_keys, rule):
    hits = trials = 0
    for learner, received in class_of_learners.items():
        for qid, question in _questions(received).items():
            if question["type"] != "single":
                continue
            guess = SINGLE_RULES[rule]([c["id"] for c in question["choices"]])
            hits += guess == answer_keys[learner][qid]
            trials += 1
    assert trials == SINGLE * len(LEARNERS)
    assert hits / trials <= _binomial_ceiling(trials, 1 / len(CHOICES)), f"{rule}: {hits} of {trials}"


def test_id_rules_decide_multiple_choice_no_better_than_a_coin(class_of_learners, answer_keys):
    """Check a choice when its id sorts in the first half: every decision (checked or not) scored."""
    right = trials = 0
    for learner, received in class_of_learners.items():
        for qid, question in _questions(received).items():
            if question["type"] != "multiple":
                continue
            ids = sorted(c["id"] for c in question["choices"])
            for choice_id in ids:
                right += (choice_id in ids[:2]) == (choice_id in answer_keys[learner][qid])
                trials += 1
    assert right / trials <= _binomial_ceiling(trials, 0.5), f"{right} of {trials}"


@pytest.mark.parametrize("rule", ["ids sorted", "ids sorted backwards", "ids by their last character"])
def test_id_order_does_not_give_the_order_of_steps(class_of_learners, answer_keys, rule):
    order = {"ids sorted": sorted, "ids sorted backwards": lambda ids: sorted(ids, reverse=True),
             "ids by their last character": lambda ids: sorted(ids, key=lambda i: i[::-1])}[rule]
    exact = trials = 0
    for learner, received in class_of_learners.items():
        for qid, question in _questions(received).items():
            if question["type"] == "ordering":
                exact += order([i["id"] for i in question["items"]]) == answer_keys[learner][qid]
                trials += 1
    assert exact / trials <= _binomial_ceiling(trials, 1 / math.factorial(len(STEPS))), f"{exact} of {trials}"


def test_ids_differ_between_learners_so_one_learners_key_is_no_use_to_another(class_of_learners):
    for qid in [f"single{n}" for n in range(SINGLE)] + [f"ordering{n}" for n in range(ORDERING)]:
        shown = [frozenset(c["id"] for c in _questions(r)[qid].get("choices", _questions(r)[qid].get("items")))
                 for r in class_of_learners.values()]
        for n, ids in enumerate(shown):
            assert len(ids) == 4
            assert all(not ids & other for other in shown[n + 1:]), f"{qid}: two learners share an id"


def test_ids_are_stable_for_a_learner_and_the_same_in_every_channel(class_of_learners):
    for received in class_of_learners.values():
        mobile = {q["id"]: q for q in received["mobile"]["questions"]}
        for channel in (received["init"], received["state"]):
            for question in channel["questions"]:
                for key in ("choices", "items"):
                    if key in question:
                        assert question[key] == mobile[question["id"]][key]


def test_the_authors_ids_never_reach_the_browser_before_the_answer_is_shown(class_of_learners):
    for received in class_of_learners.values():
        text = json.dumps([received["init"], received["state"], received["mobile"]]) + received["html"]
        assert not any(step in text for step in STEPS)
        for channel in (received["init"], received["state"], received["mobile"]):
            for question in channel["questions"]:
                ids = [c["id"] for c in question.get("choices", []) + question.get("items", [])]
                assert ids and not set(ids) & AUTHOR_IDS
                assert all(len(i) == 13 and i[0] == "c" and set(i[1:]) <= set("0123456789abcdef") for i in ids)
                assert "revealed" not in question and "answer" not in question
