"""Issue 16: the build bounds the time it spends rendering one lesson and says so at the file,
instead of hanging. The bound is made small here (RPT_COURSE_RENDER_SECONDS) so the tests are fast.

The pathological input: 60,000 `&amp; ` in a lesson passes the pre-render limits (lessons.MARKUP_LIMITS
counts `[`, `<` and `\\`) and takes seconds in Python-Markdown (14 s for 100,000 on a quiet machine);
its time grows faster than its length."""
from __future__ import annotations

import signal
import time

import pytest

from rpt_course import time_bound
from rpt_course.cli import main
from rpt_course.caches.render_cache import RenderCache, Rendered, render_text
from rpt_course.render_pool import render_many

SLOW = "## Slow\n\n" + "&amp; " * 60_000 + "\n"
BOUND = 0.3


@pytest.fixture
def small_bound(monkeypatch):
    monkeypatch.setenv(time_bound.ENVIRONMENT, str(BOUND))


def test_a_slow_text_is_stopped_at_the_bound_and_says_so(small_bound):
    started = time.monotonic()
    rendered = render_text(SLOW, "slow")
    assert time.monotonic() - started < BOUND + 1.0  # unbounded, it takes several seconds
    assert rendered.timed_out and rendered.xhtml == "" and rendered.links == ()
    ((needle, message),) = rendered.problems
    assert needle == "" and message.startswith(f"rendering took longer than {BOUND:g} s; ") and " — " in message


def test_rendering_goes_on_normally_after_a_stopped_text(small_bound):
    render_text(SLOW, "slow")
    rendered = render_text("## Fine\n\nA short lesson with a [link](/jump_to_id/x).\n", "fine")
    assert not rendered.timed_out and "<h2" in rendered.xhtml and rendered.links == ("/jump_to_id/x",)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no timer left running


def test_render_workers_bound_each_text(small_bound):
    jobs = [(SLOW, "slow"), ("## Fine\n\nText.\n", "fine")] * 2
    results = [rendered for _job, rendered in render_many(iter(jobs), workers=2)]
    assert [r.timed_out for r in results] == [True, False, True, False]


def test_a_stopped_text_is_not_cached():
    class Entries(dict):
        def write(self, key, data):
            self[key] = data

    cache = RenderCache(Entries())
    cache.put("text", "p", Rendered("", (("", "rendering took longer than 1 s"),), (), timed_out=True))
    assert cache._entries == {}
    cache.put("text", "p", Rendered("<p>text</p>", (), ()))
    assert len(cache._entries) == 1


def test_the_build_reports_the_lesson_instead_of_hanging(good_course, tmp_path, capsys, small_bound):
    (good_course / "intro/lessons/welcome.md").write_text(SLOW, "utf-8")
    started = time.monotonic()
    assert main(["build", str(good_course), "-o", str(tmp_path / "dist"), "--jobs", "1"]) == 1
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert f"intro/lessons/welcome.md: rendering took longer than {BOUND:g} s; the build stopped rendering" in err, err
    assert "Traceback" not in err and not list(tmp_path.glob("dist/*.tar.gz"))


def test_the_bound_is_read_from_the_environment(monkeypatch):
    for given, bound in (("2.5", 2.5), ("0", time_bound.DEFAULT_RENDER_SECONDS), ("nan", time_bound.DEFAULT_RENDER_SECONDS),
                         ("soon", time_bound.DEFAULT_RENDER_SECONDS)):
        monkeypatch.setenv(time_bound.ENVIRONMENT, given)
        assert time_bound.render_seconds() == bound
    monkeypatch.delenv(time_bound.ENVIRONMENT)
    assert time_bound.render_seconds() == time_bound.DEFAULT_RENDER_SECONDS


def test_within_restores_the_previous_handler_and_an_enclosing_timer():
    def outer(_signum, _frame):
        raise AssertionError("the enclosing timer fired early")

    previous = signal.signal(signal.SIGALRM, outer)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with time_bound.within(5):
            pass
        assert signal.getsignal(signal.SIGALRM) is outer
        assert 25 < signal.getitimer(signal.ITIMER_REAL)[0] <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
