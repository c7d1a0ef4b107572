/* rpt_quiz: renders the learner's public state (sent by the server) and talks to the handlers.
 * Every learner-facing string comes translated from the server in `labels` (plurals chosen there);
 * HTML fragments in the state (prompts, choices, feedback, explanations) were sanitized on the server.
 * While an attempt is open, each question starts from its submitted answer, else its `draft` (the
 * saved draft, or the answers kept by Try again); quiz_progress.js counts and saves them, and
 * quiz_staff.js is the staff's item analysis. An ordering question counts as answered once the
 * learner has moved a step (or it had an answer): the starting order is never the solution. */
function RptQuizBlock(runtime, element, init) {
  "use strict";
  init = window.RptBlockKit.unpack(init);
  var root = element.querySelector(".rpt-quiz") || element;
  var body = root.querySelector(".rpt-quiz-body");
  var status = root.querySelector(".rpt-quiz-status");
  var labels = init.labels;
  var state = init.state;
  var kit = window.RptBlockKit(runtime, element, status);
  var fill = kit.fill, el = kit.el, html = kit.html, call = kit.call, announce = kit.announce, uid = kit.uid;
  var touched = {};  /* ordering questions the learner has arranged (or that had an answer) */
  var progress = window.RptQuizProgress(kit, labels, {body: body, state: function () { return state; }, collect: collect});
  function given(q) { return q.answer !== undefined ? q.answer : q.draft; }
  function changed() { progress.update(); progress.scheduleSave(); }
  body.addEventListener("change", function (event) { if (event.target.closest(".rpt-quiz-question")) { changed(); } });
  body.addEventListener("input", function (event) { if (event.target.type === "text") { changed(); } });

  function choiceInputs(fieldset, q, type, locked) {
    var list = el("div", {"class": "rpt-quiz-choices"});
    var options = q.type === "truefalse"
      ? [{id: true, text: null, label: labels["true"]}, {id: false, text: null, label: labels["false"]}]
      : q.choices;
    options.forEach(function (choice, n) {
      var id = uid + "-" + q.id + "-" + n;
      var input = el("input", {type: type, id: id, name: uid + "-" + q.id, value: String(choice.id)});
      var answer = given(q);
      var chosen = answer !== undefined && (Array.isArray(answer) ? answer.indexOf(choice.id) >= 0 : answer === choice.id);
      input.checked = chosen;
      input.disabled = locked;
      var label = el("label", {"for": id});
      if (choice.text !== null && choice.text !== undefined) { kit.setHtml(label, choice.text); } else { label.textContent = choice.label; }
      var row = el("div", {"class": "rpt-quiz-choice"});
      row.appendChild(input); row.appendChild(label); list.appendChild(row);
    });
    fieldset.appendChild(list);
  }

  function orderingInputs(fieldset, q, locked) {
    var help = el("p", {"class": "rpt-quiz-help", id: uid + "-" + q.id + "-help"}, labels.order_help);
    var list = el("ol", {"class": "rpt-quiz-order", "aria-describedby": help.id});
    var items = q.items.slice();
    var answer = given(q);
    if (Array.isArray(answer)) {
      touched[q.id] = true;
      items.sort(function (a, b) { return answer.indexOf(a.id) - answer.indexOf(b.id); });
    }
    function draw() {
      list.innerHTML = "";
      items.forEach(function (item, n) {
        var li = el("li", {"data-id": item.id});
        var text = html("span", {"class": "rpt-quiz-step"}, item.text);
        li.appendChild(text);
        [["move_up", -1], ["move_down", 1]].forEach(function (pair) {
          var button = el("button", {type: "button", "class": "rpt-quiz-move"}, pair[1] < 0 ? "\u2191" : "\u2193");
          button.setAttribute("aria-label", labels[pair[0]] + ": " + text.textContent);
          button.disabled = locked || (pair[1] < 0 ? n === 0 : n === items.length - 1);
          button.addEventListener("click", function () {
            var moved = items.splice(n, 1)[0];
            items.splice(n + pair[1], 0, moved);
            touched[q.id] = true;
            draw();
            changed();
            var again = list.children[n + pair[1]].querySelectorAll("button")[pair[1] < 0 ? 0 : 1];
            if (again.disabled) { again = list.children[n + pair[1]].querySelector("button:not([disabled])"); }
            if (again) { again.focus(); }
            announce(fill(labels.position, {n: n + pair[1] + 1}) + ": " + text.textContent);
          });
          li.appendChild(button);
        });
        list.appendChild(li);
      });
    }
    draw();
    fieldset.appendChild(help);
    fieldset.appendChild(list);
  }

  function renderQuestion(q, n, total) {
    var locked = !state.can_submit;
    var legendId = uid + "-" + q.id + "-legend";
    var promptId = uid + "-" + q.id + "-prompt";
    var fieldset = el("fieldset", {"class": "rpt-quiz-question", "data-id": q.id, "aria-labelledby": legendId + " " + promptId});
    fieldset.appendChild(el("legend", {id: legendId}, fill(labels.question, {n: n + 1, total: total})));
    fieldset.appendChild(html("div", {"class": "rpt-quiz-prompt", id: promptId}, q.prompt));
    if (q.type === "single" || q.type === "truefalse") { choiceInputs(fieldset, q, "radio", locked); }
    if (q.type === "multiple") { choiceInputs(fieldset, q, "checkbox", locked); }
    if (q.type === "numeric") {
      var inputId = uid + "-" + q.id + "-input";
      fieldset.appendChild(el("label", {"for": inputId}, q.unit_hint ? fill(labels.numeric_label, {unit: q.unit_hint}) : labels.numeric_label_plain));
      var input = el("input", {type: "text", id: inputId, inputmode: "decimal", autocomplete: "off", spellcheck: "false", maxlength: "64"});
      input.value = given(q) || "";
      input.disabled = locked;
      fieldset.appendChild(input);
    }
    if (q.type === "ordering") { orderingInputs(fieldset, q, locked); }
    var error = el("p", {"class": "rpt-quiz-error", id: uid + "-" + q.id + "-error"});
    fieldset.appendChild(error);
    if (q.status) {
      var verdict = el("p", {"class": "rpt-quiz-verdict rpt-quiz-" + q.status}, labels[q.status]);
      fieldset.appendChild(verdict);
      if (q.points) { fieldset.appendChild(el("p", {"class": "rpt-quiz-points"}, q.points)); }
      (q.feedback || []).forEach(function (text) { fieldset.appendChild(html("div", {"class": "rpt-quiz-feedback"}, text)); });
      if (q.teaches_url) { fieldset.appendChild(el("a", {href: q.teaches_url, "class": "rpt-quiz-review"}, labels.review)); }
    }
    if (q.revealed) {
      var box = el("div", {"class": "rpt-quiz-revealed"});
      box.appendChild(el("p", {"class": "rpt-quiz-answer"}, labels.answer + ": " + describeAnswer(q)));
      if (q.revealed.explanation) {
        box.appendChild(el("p", {"class": "rpt-quiz-label"}, labels.explanation));
        box.appendChild(html("div", {"class": "rpt-quiz-explanation"}, q.revealed.explanation));
      }
      box.appendChild(el("p", {"class": "rpt-quiz-source"}, labels.source + ": " + q.revealed.citation));
      fieldset.appendChild(box);
    }
    if (state.can_check && q.checks_left !== undefined) { checkControls(fieldset, q); }
    if (q.hint_offered && !q.revealed) {
      var hints = el("div", {"class": "rpt-quiz-hints", "aria-live": "polite"});
      var shown = 0;
      var button = el("button", {type: "button", "class": "rpt-quiz-hint"}, labels.hint);
      button.addEventListener("click", function () {
        call("hint", {question: q.id, index: shown}).then(function (reply) {
          hints.appendChild(html("div", {"class": "rpt-quiz-hint-text"}, reply.hint));
          shown += 1;
          if (shown >= reply.hint_count) { button.disabled = true; }
        }).catch(function (e) { announce(fill(labels.error, {message: e.message})); });
      });
      fieldset.appendChild(button);
      fieldset.appendChild(hints);
    }
    return fieldset;
  }

  /* Check: one question graded on the server, ungraded; the reply holds that question's verdict only. */
  function checkControls(fieldset, q) {
    var result = el("div", {"class": "rpt-quiz-check-result", "aria-live": "polite"});
    var button = el("button", {type: "button", "class": "rpt-quiz-check"}, labels.check);
    button.disabled = q.checks_left === 0;
    button.addEventListener("click", function () {
      var error = fieldset.querySelector(".rpt-quiz-error");
      error.textContent = "";
      var answers = collect();
      if (!(q.id in answers)) { error.textContent = labels.check_unanswered; return; }
      call("check", {question: q.id, answer: answers[q.id]}).then(function (reply) {
        result.innerHTML = "";
        result.appendChild(el("p", {"class": "rpt-quiz-verdict rpt-quiz-" + reply.status}, labels[reply.status]));
        reply.feedback.forEach(function (text) { result.appendChild(html("div", {"class": "rpt-quiz-feedback"}, text)); });
        result.appendChild(el("p", {"class": "rpt-quiz-checks-left"}, reply.checks_left_text));
        q.checks_left = reply.checks_left;
        button.disabled = reply.checks_left === 0;
        if (!reply.hint_offered) {
          q.hint_offered = false;
          fieldset.querySelectorAll(".rpt-quiz-hint").forEach(function (b) { b.remove(); });
        }
      }).catch(function (e) {
        error.textContent = (e.reply && e.reply.questions && e.reply.questions[q.id]) || e.message;
      });
    });
    fieldset.appendChild(button);
    fieldset.appendChild(result);
  }

  function describeAnswer(q) {
    var key = q.revealed.answer;
    var text = function (id) {
      var found = (q.choices || q.items || []).filter(function (c) { return c.id === id; })[0];
      var scratch = document.createElement("div"); scratch.innerHTML = found ? found.text : "";
      return scratch.textContent.trim();
    };
    if (q.type === "truefalse") { return key ? labels["true"] : labels["false"]; }
    if (q.type === "numeric") { return key; }
    if (Array.isArray(key)) { return key.map(text).join(q.type === "ordering" ? " \u2192 " : "; "); }
    return text(key);
  }

  function collect() {
    var answers = {};
    state.questions.forEach(function (q) {
      var fieldset = body.querySelector('fieldset[data-id="' + q.id + '"]');
      if (!fieldset) { return; }
      if (q.type === "single") {
        var picked = fieldset.querySelector("input:checked");
        if (picked) { answers[q.id] = picked.value; }
      } else if (q.type === "truefalse") {
        var tf = fieldset.querySelector("input:checked");
        if (tf) { answers[q.id] = tf.value === "true"; }
      } else if (q.type === "multiple") {
        var checked = Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; });
        if (checked.length) { answers[q.id] = checked; }
      } else if (q.type === "numeric") {
        var text = fieldset.querySelector("input").value;
        if (text.trim()) { answers[q.id] = text; }
      } else if (q.type === "ordering" && touched[q.id]) {
        answers[q.id] = Array.prototype.map.call(fieldset.querySelectorAll("li"), function (li) { return li.getAttribute("data-id"); });
      }
    });
    return answers;
  }

  function render() {
    body.innerHTML = "";
    touched = {};
    body.appendChild(el("h3", {"class": "rpt-quiz-title"}, state.title));
    if (state.can_submit) { body.appendChild(progress.element); }
    state.questions.forEach(function (q, n) { body.appendChild(renderQuestion(q, n, state.questions.length)); });
    var footer = el("div", {"class": "rpt-quiz-actions"});
    var used = state.attempts_left === null
      ? fill(labels.attempts_unlimited, {used: state.attempts})
      : fill(labels.attempts, {used: state.attempts, max: state.attempts + state.attempts_left});
    footer.appendChild(el("p", {"class": "rpt-quiz-attempts"}, used));
    if (state.score) { footer.appendChild(el("p", {"class": "rpt-quiz-score"}, state.score.text)); }
    if (state.can_submit) { footer.appendChild(button("submit", function () { submit(false); })); }
    if (state.can_reset) { footer.appendChild(button("reset", reset)); }
    body.appendChild(footer);
    if (state.can_submit) { progress.update(); }
    if (init.staff) { body.appendChild(window.RptQuizStaff(kit, labels, runtime.handlerUrl(element, "item_analysis_csv"))); }
  }
  /* Unanswered questions score 0: before submitting them the learner confirms, with a list of them
   * to go back to (the server asks for the same confirmation). */
  function confirmUnanswered(missing) {
    var old = body.querySelector(".rpt-quiz-confirm");
    if (old) { old.remove(); }
    var titleId = uid + "-confirm-title";
    var panel = el("div", {"class": "rpt-quiz-confirm", role: "group", "aria-labelledby": titleId});
    var title = el("h4", {id: titleId, tabindex: "-1"}, labels.confirm_title);
    panel.appendChild(title);
    panel.appendChild(el("p", {}, labels.confirm_text));
    var list = el("ul");
    var ids = state.questions.map(function (q) { return q.id; });
    missing.forEach(function (q) {
      var go = el("button", {type: "button", "class": "rpt-quiz-goto"}, fill(labels.question_link, {n: ids.indexOf(q.id) + 1}));
      go.addEventListener("click", function () { panel.remove(); progress.focusQuestion(q.id); });
      var item = el("li"); item.appendChild(go); list.appendChild(item);
    });
    panel.appendChild(list);
    var yes = el("button", {type: "button", "class": "rpt-quiz-confirm-submit"}, labels.confirm_submit);
    yes.addEventListener("click", function () { panel.remove(); submit(true); });
    var no = el("button", {type: "button", "class": "rpt-quiz-confirm-back"}, labels.confirm_back);
    no.addEventListener("click", function () { panel.remove(); progress.focusQuestion(missing[0].id); });
    panel.appendChild(yes); panel.appendChild(no);
    body.querySelector(".rpt-quiz-actions").before(panel);
    title.focus();
  }
  function button(name, action) {
    var b = el("button", {type: "button", "class": "rpt-quiz-" + name}, labels[name]);
    b.addEventListener("click", action);
    return b;
  }
  /* After a redraw the focus stays in the quiz (WCAG 2.4.3): on the first control of the first
   * question after Try again, else on the next action (Try again) or the score. */
  function keepFocus(toQuestions) {
    var target = toQuestions ? body.querySelector(".rpt-quiz-question input:not([disabled]), .rpt-quiz-question button:not([disabled])")
      : body.querySelector(".rpt-quiz-actions button") || body.querySelector(".rpt-quiz-score, .rpt-quiz-attempts");
    if (!target) { return; }
    if (!/^(INPUT|BUTTON|SELECT|TEXTAREA|A)$/.test(target.tagName)) { target.setAttribute("tabindex", "-1"); }
    target.focus();
    /* the button that was pressed is gone from the page; if the browser moved focus to the body
     * after this task, put it back */
    window.setTimeout(function () { if (document.activeElement === document.body) { target.focus(); } }, 0);
  }
  function update(reply, message, toQuestions) {
    state = reply; render();
    keepFocus(toQuestions);
    var summary = state.score ? state.score.text : "";
    announce([message, summary].filter(Boolean).join(" "));
  }
  function submit(confirmed) {
    body.querySelectorAll(".rpt-quiz-error").forEach(function (p) { p.textContent = ""; });
    var missing = progress.unanswered();
    if (missing.length && !confirmed) { confirmUnanswered(missing); return; }
    progress.cancelSave();
    var payload = {answers: collect()};
    if (confirmed) { payload.unanswered = "confirmed"; }
    call("submit", payload).then(function (reply) { update(reply, labels.submitted); })
      .catch(function (e) {
        var perQuestion = (e.reply && e.reply.questions) || {};
        Object.keys(perQuestion).forEach(function (id) {
          var p = body.querySelector('fieldset[data-id="' + id + '"] .rpt-quiz-error');
          if (p) { p.textContent = perQuestion[id]; }
        });
        announce(e.message + " " + Object.keys(perQuestion).map(function (k) { return perQuestion[k]; }).join(" "));
      });
  }
  function reset() { call("reset", {}).then(function (reply) { update(reply, "", true); }).catch(function (e) { announce(e.message); }); }

  render();
}
