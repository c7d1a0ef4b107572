"""When a learner may see correctness and the answer. Pure functions of the quiz's settings and the
learner's situation; the block calls them before anything leaves the server.

- show_correctness: "always"; "never"; "past_due" (only once the due date has passed).
- show_answer: "never"; "always"; "finished" (after a fully correct submission or once the attempts
  are used up); "past_due" (once the due date has passed; never when the runtime knows no due date).
"""
from __future__ import annotations


def attempts_left(max_attempts: int, attempts: int) -> int | None:
    """Attempts remaining, or None when unlimited (max_attempts 0)."""
    return None if max_attempts == 0 else max(0, max_attempts - attempts)


def correctness_visible(show_correctness: str, past_due: bool) -> bool:
    return show_correctness == "always" or (show_correctness == "past_due" and past_due)


def answer_visible(show_answer: str, *, all_correct: bool, out_of_attempts: bool, past_due: bool) -> bool:
    if show_answer == "always":
        return True
    if show_answer == "finished":
        return all_correct or out_of_attempts
    if show_answer == "past_due":
        return past_due
    return False
