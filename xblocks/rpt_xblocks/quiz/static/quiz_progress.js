/* rpt_quiz, while the learner answers: the count of questions answered (announced politely), a
 * button to go to the next unanswered question, and the draft saved as they answer.
 * RptQuizProgress(kit, labels, options) with options {body, state, collect, isAnswered} returns
 * {element, update(), scheduleSave(), unanswered()}; quiz.js calls update() and scheduleSave() after
 * every change. A draft is the learner's whole set of answers (in their stand-in ids), saved at most
 * every SAVE_DELAY ms after the last change; the server keeps the latest, restored on reload. */
window.RptQuizProgress = function (kit, labels, options) {
  "use strict";
  var SAVE_DELAY = 800;
  var el = kit.el, fill = kit.fill;
  var box = el("div", {"class": "rpt-quiz-progress"});
  var count = el("p", {"class": "rpt-quiz-count", "aria-live": "polite", "aria-atomic": "true"});
  var jump = el("button", {type: "button", "class": "rpt-quiz-next-unanswered"}, labels.next_unanswered);
  box.appendChild(count);
  box.appendChild(jump);
  var timer = null;

  function unanswered() {
    var answers = options.collect();
    return options.state().questions.filter(function (q) { return !(q.id in answers); });
  }
  function update() {
    var total = options.state().questions.length;
    var missing = unanswered().length;
    count.textContent = fill(labels.progress, {answered: total - missing});
    jump.hidden = missing === 0;
  }
  function focusQuestion(id) {
    var fieldset = options.body.querySelector('fieldset[data-id="' + id + '"]');
    if (!fieldset) { return; }
    var control = fieldset.querySelector("input:not([disabled]), button:not([disabled])");
    fieldset.scrollIntoView({block: "start"});
    if (control) { control.focus(); }
  }
  jump.addEventListener("click", function () {
    var missing = unanswered();
    if (!missing.length) { kit.announce(labels.all_answered); return; }
    var ids = options.state().questions.map(function (q) { return q.id; });
    var here = document.activeElement && document.activeElement.closest ? document.activeElement.closest("fieldset[data-id]") : null;
    var from = here ? ids.indexOf(here.getAttribute("data-id")) : -1;
    var next = missing.filter(function (q) { return ids.indexOf(q.id) > from; })[0] || missing[0];
    focusQuestion(next.id);
  });
  function save() {
    timer = null;
    var state = options.state();
    if (!state.can_submit || !state.draft_attempt) { return; }
    kit.call("save_draft", {attempt: state.draft_attempt, answers: options.collect()})
      .catch(function (e) { kit.announce(fill(labels.draft_failed, {message: e.message})); });
  }
  function scheduleSave() {
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(save, SAVE_DELAY);
  }
  /* Before a submission: a pending save is dropped (the submission supersedes it). */
  function cancelSave() { if (timer !== null) { window.clearTimeout(timer); timer = null; } }
  return {element: box, update: update, scheduleSave: scheduleSave, cancelSave: cancelSave,
          unanswered: unanswered, focusQuestion: focusQuestion};
};
