"""The rpt_dosimetry XBlock: a step-by-step dosimetry walkthrough with the learner's own numbers.

A thin shell: the scenario model (`scenario.py`, formulas in `formula.py`, physics in `physics.py`)
computes the reference values on the server; `walkthrough_view.py` decides what the browser sees.
Each step is checked with units (`step_check.py`); a wrong kind of unit is explained and
costs no attempt, and a wrong answer matching a mistake the author describes gets its diagnosis. After a right answer or the step's last attempt the reference value is shown and
carried forward, so one slip does not spoil the rest. The learner's answers are rows
(`attempts.py`, the only walkthrough code that touches the database): an answer claims its attempt
by inserting its row, so concurrent requests cannot use one attempt twice. Handlers store nothing
before accepting. Once finished, a learner may practise with new numbers (`practice.py`): checked,
never graded or stored.
"""
from __future__ import annotations

from importlib import resources

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Float, Integer, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score

from rpt_xblocks import quantities
from rpt_xblocks.content_fields import ContentDict
from rpt_xblocks.dosimetry import attempts
from rpt_xblocks.dosimetry.formula import Formula
from rpt_xblocks.dosimetry.plot import curve_points, svg_plot, value_at
from rpt_xblocks.dosimetry.scenario import Plot, Scenario, expected_values, learner_parameters, scenario_errors
from rpt_xblocks.dosimetry.scenario_olx import TAG, scenario_from_xml, scenario_to_xml
from rpt_xblocks.dosimetry import walkthrough_labels
from rpt_xblocks.dosimetry.practice import MAX_ROUND, practice_answer, practice_parameters, practice_start
from rpt_xblocks.dosimetry.step_check import check_answer
from rpt_xblocks.dosimetry.walkthrough_view import fill_placeholders, parameter_texts, step_texts, walkthrough_state
from rpt_xblocks.json_handlers import HandlerError, json_handler
from rpt_xblocks.learner_block import LearnerBlockMixin, learner_fragment
from rpt_xblocks.olx_block import OlxBlockMixin
from rpt_xblocks.sanitizing import sanitize

_ = lambda text: text  # noqa: E731  marks field help for extraction; the i18n service translates at run time


def _resource(name: str) -> str:
    return resources.files("rpt_xblocks.dosimetry").joinpath(name).read_text("utf-8")


def _summary_plot(plot: Plot, values: dict) -> str:
    """The summary's SVG: the curve over its range, the learner's case marked (sent only when finished)."""
    points = curve_points(plot.formula, values, plot.x, plot.x_unit, plot.y_unit, plot.start, plot.stop)
    mark = None
    if plot.mark:
        x = values[plot.mark]
        x = x.m_as(quantities.parse_unit(plot.x_unit)) if hasattr(x, "units") else float(x)
        mark = (x, value_at(Formula(plot.formula), values, plot.x, plot.x_unit, plot.y_unit, x))
    return svg_plot(points, plot.title, plot.x_label or plot.x, plot.y_label or plot.y_unit, mark)




def _fields_from_element(element) -> tuple[dict, list[str]]:
    """The block's fields from its OLX element, or every reason they cannot be set."""
    scenario, errors = scenario_from_xml(element)
    if not errors:
        errors = scenario_errors(scenario)
    problems = [message for _location, message in errors]
    fields = {"display_name": scenario.title}
    for name, kind, low in (("step_attempts", int, 1), ("weight", float, 0)):
        raw = element.get(name)
        if raw is None:
            continue
        try:
            fields[name] = kind(raw)
            if fields[name] < low:
                raise ValueError
        except ValueError:
            problems.append(f"{name}={raw!r} is not valid — use a number of {low} or more")
    fields["scenario_data"] = scenario.to_dict()
    return fields, problems


@XBlock.wants("user", "studio_user_permissions", "replace_urls")  # olx_block.may_edit; course_links
@XBlock.needs("i18n")
class WalkthroughBlock(OlxBlockMixin, LearnerBlockMixin, ScorableXBlockMixin, CompletableXBlockMixin, XBlock):
    """A dosimetry calculation taught one step at a time, graded on the server."""

    display_name = String(display_name=_("Display name"), scope=Scope.settings, default="Dosimetry walkthrough",
                          help=_("The walkthrough's heading, shown to learners."))
    step_attempts = Integer(display_name=_("Attempts per step"), scope=Scope.settings, default=2,
                            help=_("How many answers a learner may give to each step before the reference value is shown."))
    weight = Float(display_name=_("Problem weight"), scope=Scope.settings, default=1.0,
                   help=_("The walkthrough's weight in its assignment type."))
    scenario_data = ContentDict(scope=Scope.content, default={}, help=_("The scenario: parameters and steps (edit the OLX)."))

    has_custom_completion = True
    icon_class = "problem"
    OLX_TAG = TAG
    STUDIO_PREFIX = "walkthrough"
    STUDIO_SETTINGS = ("display_name", "step_attempts", "weight")
    STUDIO_CONTENT_LABEL = _("Parameters, steps and plot (OLX elements)")
    STUDIO_NOT_SAVED = _("The walkthrough was not saved: fix these problems.")

    # ---- the model -----------------------------------------------------------------------------

    def scenario(self) -> Scenario:
        data = self.scenario_data
        if not data:
            return Scenario(title=self.display_name, parameters=(), steps=())
        return Scenario.from_dict(data)

    def _numbers(self):
        scenario = self.scenario()
        parameters = learner_parameters(scenario, self.seed_key())
        return scenario, parameters, expected_values(scenario, parameters)

    @staticmethod
    def _first_unfinished(scenario: Scenario, progress: dict) -> int:
        """The index of the learner's current step: the first not done (len(steps) when all are)."""
        return next((i for i, s in enumerate(scenario.steps) if not progress.get(s.id, {}).get("done")),
                    len(scenario.steps))

    def _record(self) -> attempts.Record:
        return attempts.record(self.record_block_key(), self.learner_key(), self.step_attempts)

    def _state(self, numbers=None, record: attempts.Record | None = None) -> dict:
        """The learner's state; `numbers` is `_numbers()` and `record` is `_record()`, when the
        caller has them already (`numbers` needs the expected values of the steps before the first
        unfinished one, or of all steps when all are finished: the state shows no others)."""
        scenario, parameters, expected = numbers or self._numbers()
        record = record or self._record()
        state = walkthrough_state(scenario, parameters, expected, record.progress, self.step_attempts)
        if state["current"] is None and scenario.steps:
            state["score"] = {"earned": record.earned, "possible": float(len(scenario.steps))}
            if scenario.plot is not None:
                state["plot"] = _summary_plot(scenario.plot, {**parameters, **expected})
        return state

    def _labels(self) -> dict:
        return walkthrough_labels.labels(self.ugettext)

    # ---- views ---------------------------------------------------------------------------------

    @XBlock.supports("multi_device")
    def student_view(self, context=None):  # pylint: disable=unused-argument
        return learner_fragment("walkthrough", self.display_name, _resource("static/walkthrough.css"),
                                _resource("static/walkthrough_practice.js") + _resource("static/walkthrough.js"), "RptWalkthroughBlock",
                                {"state": self._state(), "labels": self._labels()}, links=self.runtime_links)

    def student_view_data(self, context=None):  # pylint: disable=unused-argument
        """For the mobile app: the learner's numbers and current step, no reference values ahead."""
        return self.with_runtime_links(self._state())

    # ---- handlers ------------------------------------------------------------------------------

    @json_handler()
    def state(self, data):  # pylint: disable=unused-argument
        return self._state()

    @json_handler()
    def check_step(self, data):
        """Check the answer to the current step. Only the steps up to the one checked are evaluated
        (later ones are neither checked nor shown), unless this answer finishes the walkthrough."""
        scenario = self.scenario()
        progress = attempts.record(self.record_block_key(), self.learner_key(), self.step_attempts,
                                   with_score=False).progress
        index = self._first_unfinished(scenario, progress)
        current = scenario.steps[index] if index < len(scenario.steps) else None
        answer = data.get("answer")
        if current is None or data.get("step") != current.id:
            raise HandlerError(409, self.ugettext("That is not the step you are on; reload the page."))
        if not isinstance(answer, str) or not answer.strip() or len(answer) > quantities.MAX_ANSWER_LENGTH:
            raise HandlerError(400, self.ugettext("Enter a number with its unit."))
        parameters = learner_parameters(scenario, self.seed_key())
        expected = expected_values(scenario, parameters, index + 1)
        checked = check_answer(current, answer, expected[current.id], {**parameters, **expected}, self.ugettext)
        if checked.refused:
            raise HandlerError(400, checked.message)
        try:
            attempt, record = attempts.check(self.record_block_key(), self.learner_key(), current.id,
                                             answer.strip(), checked.correct, self.step_attempts)
        except attempts.Refused:  # says nothing of whether the answer was right
            raise HandlerError(409, self.ugettext("This step was already answered; reload the page.")) from None
        self.runtime.publish(self, "edx.rpt_dosimetry.step_checked", {
            "step": current.id, "attempt": attempt, "correct": checked.correct})
        shown = self._first_unfinished(scenario, record.progress)
        if shown == len(scenario.steps):
            self._publish_grade(Score(raw_earned=record.earned, raw_possible=self.max_score()))
            self.emit_completion(1.0)
        if shown > index + 1:  # finished, or later steps were already done: the state shows them too
            expected = expected_values(scenario, parameters, shown)
        state = self._state((scenario, parameters, expected), record)
        state["last"] = {"step": current.id, "correct": checked.correct,
                         "message": "" if checked.correct else checked.message, "diagnosis": checked.diagnosis}
        return state

    def _practice_round(self, data) -> tuple[Scenario, dict, int]:
        """The scenario, the round's parameters and its number; refused before the graded
        walkthrough is finished (a practice reference value must not help with a graded step)."""
        round_number = data.get("round")
        if not isinstance(round_number, int) or isinstance(round_number, bool) or not 1 <= round_number <= MAX_ROUND:
            raise HandlerError(400, self.ugettext("There is no such practice round."))
        scenario = self.scenario()
        progress = attempts.record(self.record_block_key(), self.learner_key(), self.step_attempts,
                                   with_score=False).progress
        if not scenario.steps or self._first_unfinished(scenario, progress) < len(scenario.steps):
            raise HandlerError(409, self.ugettext("Finish the walkthrough first; then you can practise with new numbers."))
        return scenario, practice_parameters(scenario, self.seed_key(), round_number), round_number

    @json_handler()
    def practice(self, data):
        """A practice round's numbers and first step: ungraded, nothing stored."""
        scenario, parameters, round_number = self._practice_round(data)
        return practice_start(scenario, parameters, round_number)

    @json_handler()
    def practice_check(self, data):
        """Check a practice answer (or, with `reveal`, show the step's answer); nothing is stored or graded."""
        scenario, parameters, _round = self._practice_round(data)
        answer, reveal = data.get("answer"), data.get("reveal") is True
        if not reveal and (not isinstance(answer, str) or not answer.strip()
                           or len(answer) > quantities.MAX_ANSWER_LENGTH):
            raise HandlerError(400, self.ugettext("Enter a number with its unit."))
        reply = practice_answer(scenario, parameters, data.get("step"), answer, reveal, self.ugettext)
        if reply is None:
            raise HandlerError(400, self.ugettext("There is no such step."))
        if reply.get("refused"):
            raise HandlerError(400, reply["message"])
        return reply

    @json_handler()
    def hint(self, data):
        scenario = self.scenario()
        step = next((s for s in scenario.steps if s.id == data.get("step")), None)
        index = data.get("index")
        if step is None or not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(step.hints):
            raise HandlerError(400, self.ugettext("There is no such hint."))
        progress = self._record().progress  # open steps: the done ones and the current one
        if scenario.steps.index(step) > self._first_unfinished(scenario, progress) and not progress.get(step.id, {}).get("done"):
            raise HandlerError(409, self.ugettext("That step is not open yet."))
        hint = sanitize(step.hints[index])
        if "{" in hint:  # `{name}`: the learner's parameters and earlier steps, as in prompts (the build allows no other)
            parameters = learner_parameters(scenario, self.seed_key())
            known = {**parameters, **expected_values(scenario, parameters, scenario.steps.index(step))}
            hint = fill_placeholders(hint, known, parameter_texts(scenario, parameters), *step_texts(scenario))
        return {"step": step.id, "index": index, "hint": hint, "hint_count": len(step.hints)}

    # ---- scoring -------------------------------------------------------------------------------

    def max_score(self):
        return float(len(self.scenario_data.get("steps", []))) if self.scenario_data else 0.0

    def has_submitted_answer(self):
        return self._record().attempts > 0

    def get_score(self):
        """Steps answered right within their attempts, or the score the platform set since the last answer."""
        return Score(raw_earned=self._record().earned, raw_possible=self.max_score())

    def set_score(self, score):
        attempts.set_score(self.record_block_key(), self.learner_key(), float(score.raw_earned),
                           float(score.raw_possible))

    def calculate_score(self):
        """Steps answered right within their attempts, of all steps."""
        progress = self._record().progress
        earned = sum(1.0 for s in self.scenario_data.get("steps", []) if progress.get(s["id"], {}).get("correct"))
        return Score(raw_earned=earned, raw_possible=self.max_score())

    # ---- OLX and Studio (OlxBlockMixin) ------------------------------------------------------------

    fields_from_olx = staticmethod(_fields_from_element)

    def olx_element(self):
        element = scenario_to_xml(self.scenario())
        element.set("display_name", self.display_name)
        element.set("step_attempts", str(self.step_attempts))
        element.set("weight", repr(float(self.weight)))
        return element

    def studio_saved(self) -> dict:
        return {"steps": len(self.scenario_data["steps"])}

    @staticmethod
    def workbench_scenarios():
        return [("rpt_dosimetry: decay-correcting a Lu-177 dosage", _resource("scenarios/example.xml"))]
