/* rpt_dosimetry: renders the learner's walkthrough state (sent by the server) one step at a time.
 * Learner-facing strings come translated from the server in `labels`; prompts and explanations
 * were sanitized on the server. Each step has one heading ("Step 2 of 6"); the list is unnumbered.
 * Every try at a step stays in its history with the author's diagnosis of a wrong one. */
function RptWalkthroughBlock(runtime, element, init) {
  "use strict";
  init = window.RptBlockKit.unpack(init);
  var root = element.querySelector(".rpt-walkthrough") || element;
  var body = root.querySelector(".rpt-walkthrough-body");
  var status = root.querySelector(".rpt-walkthrough-status");
  var labels = init.labels;
  var state = init.state;
  var kit = window.RptBlockKit(runtime, element, status);
  var fill = kit.fill, el = kit.el, html = kit.html, call = kit.call, announce = kit.announce, uid = kit.uid;
  /* The labelled answer input of `step` appended to `form`; ids from `prefix` (its prompt is
   * `prefix-prompt`, its error line `prefix-error`). Shared with the practice rounds. */
  function answerField(form, prefix, step, inputClass) {
    var inputId = prefix + "-answer";
    form.appendChild(el("label", {"for": inputId}, step.percent ? labels.answer_label_percent
      : step.unit ? fill(labels.answer_label, {unit: step.unit}) : labels.answer_label_plain));
    var input = el("input", {type: "text", id: inputId, "class": inputClass, inputmode: "decimal",
      autocomplete: "off", spellcheck: "false", maxlength: "64", "aria-describedby": prefix + "-prompt " + prefix + "-error"});
    form.appendChild(input);
    return input;
  }
  var practice = window.RptWalkthroughPractice(kit, labels, answerField);

  function numbers(parameters, name) {
    var list = el("dl", {"class": "rpt-walkthrough-parameters", "aria-label": name});
    parameters.forEach(function (p) {
      list.appendChild(el("dt", {}, p.label));
      list.appendChild(el("dd", {}, p.value + (p.citation ? " (" + p.citation + ")" : "")));
    });
    return list;
  }

  function stepHeading(number, id) {
    return el("h4", {"class": "rpt-walkthrough-step-heading", id: id}, fill(labels.step, {n: number, total: state.step_count}));
  }

  /* The learner's answers to a step, in order, when there is more to say than the last one. */
  function tries(step) {
    var list = step.tries || [];
    var diagnosed = list.some(function (t) { return t.diagnosis; });
    if (list.length < 2 && !diagnosed && !(state.current && step === state.current && list.length)) { return null; }
    var box = el("div", {"class": "rpt-walkthrough-tries"});
    box.appendChild(el("p", {"class": "rpt-walkthrough-tries-label"}, labels.tries));
    var items = el("ul", {});
    list.forEach(function (t, index) {
      var item = el("li", {"class": t.correct ? "rpt-walkthrough-try-right" : "rpt-walkthrough-try-wrong"},
        fill(t.correct ? labels.try_right : labels.try_wrong, {n: index + 1, value: t.answer}));
      if (t.diagnosis) {
        item.appendChild(document.createTextNode(" \u2014 "));
        item.appendChild(el("span", {"class": "rpt-walkthrough-diagnosis"}, fill(labels.diagnosis, {message: t.diagnosis})));
      }
      items.appendChild(item);
    });
    box.appendChild(items);
    return box;
  }

  function finishedStep(step) {
    var item = el("li", {"class": "rpt-walkthrough-done", "aria-labelledby": uid + "-step-" + step.number});
    item.appendChild(stepHeading(step.number, uid + "-step-" + step.number));
    item.appendChild(html("div", {"class": "rpt-walkthrough-prompt"}, step.prompt));
    item.appendChild(el("p", {"class": step.correct ? "rpt-walkthrough-correct" : "rpt-walkthrough-incorrect"},
      (step.correct ? labels.correct : labels.incorrect) + " \u2014 " + fill(labels.your_answer, {value: step.answer})));
    var history = tries(step);
    if (history) { item.appendChild(history); }
    item.appendChild(el("p", {"class": "rpt-walkthrough-reference"}, fill(labels.reference, {value: step.reference})));
    if (step.explanation) { item.appendChild(html("div", {"class": "rpt-walkthrough-explanation"}, step.explanation)); }
    if (step.source) { item.appendChild(el("p", {"class": "rpt-walkthrough-source"}, fill(labels.source, {source: step.source}))); }
    return item;
  }

  function printSummary() {
    /* Only this walkthrough prints (walkthrough.css, @media print), until the print dialog closes. */
    root.classList.add("rpt-walkthrough-printing");
    document.body.classList.add("rpt-printing-walkthrough");
    window.addEventListener("afterprint", function () {
      root.classList.remove("rpt-walkthrough-printing");
      document.body.classList.remove("rpt-printing-walkthrough");
    }, {once: true});
    window.print();
  }

  function render(focusAnswer) {
    body.innerHTML = "";
    body.appendChild(el("h3", {"class": "rpt-walkthrough-title"}, state.title));
    body.appendChild(numbers(state.parameters, labels.parameters));
    var list = el("ol", {"class": "rpt-walkthrough-steps", role: "list"});
    state.finished.forEach(function (step) { list.appendChild(finishedStep(step)); });
    if (state.current) { list.appendChild(currentStep(state.current)); }
    body.appendChild(list);
    if (state.score) {
      body.appendChild(el("h4", {}, labels.summary));
      body.appendChild(el("p", {"class": "rpt-walkthrough-score"}, fill(labels.score, state.score)));
      if (state.plot) { body.appendChild(html("figure", {"class": "rpt-walkthrough-plot"}, state.plot)); }  /* SVG built on the server with escaped text */
      var print = el("button", {type: "button", "class": "rpt-walkthrough-print"}, labels.print);
      print.addEventListener("click", printSummary);
      body.appendChild(print);
      body.appendChild(practice.section(numbers));
    }
    if (focusAnswer) {
      var input = body.querySelector(".rpt-walkthrough-answer");
      if (input) { input.focus(); }
    }
  }

  function currentStep(step) {
    var item = el("li", {"class": "rpt-walkthrough-current", "aria-labelledby": uid + "-heading"});
    var form = el("form", {"class": "rpt-walkthrough-form", novalidate: "novalidate", "aria-labelledby": uid + "-heading"});
    form.appendChild(stepHeading(step.number, uid + "-heading"));
    form.appendChild(html("div", {"class": "rpt-walkthrough-prompt", id: uid + "-prompt"}, step.prompt));
    var history = tries(step);
    if (history) { form.appendChild(history); }
    var input = answerField(form, uid, step, "rpt-walkthrough-answer");
    form.appendChild(el("button", {type: "submit", "class": "rpt-walkthrough-check"}, labels.check));
    form.appendChild(el("p", {"class": "rpt-walkthrough-error", id: uid + "-error"}));
    form.appendChild(el("p", {"class": "rpt-walkthrough-attempts"}, fill(labels.attempts_left, {n: step.attempts_left})));
    if (step.hint_count) {
      var hints = el("div", {"class": "rpt-walkthrough-hints", "aria-live": "polite"});
      var shown = 0;
      var hintButton = el("button", {type: "button", "class": "rpt-walkthrough-hint"}, labels.hint);
      hintButton.addEventListener("click", function () {
        call("hint", {step: step.id, index: shown}).then(function (reply) {
          hints.appendChild(html("div", {}, reply.hint));
          shown += 1;
          if (shown >= reply.hint_count) { hintButton.disabled = true; }
        }).catch(function (e) { announce(e.message); });
      });
      form.appendChild(hintButton);
      form.appendChild(hints);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      call("check_step", {step: step.id, answer: input.value}).then(function (reply) {
        state = reply;
        render(true);
        var last = reply.last;
        var diagnosis = last.diagnosis ? fill(labels.diagnosis, {message: last.diagnosis}) : "";
        announce(last.correct ? labels.correct : [labels.incorrect, last.message, diagnosis].filter(Boolean).join(" "));
        var error = body.querySelector(".rpt-walkthrough-current .rpt-walkthrough-error");
        var same = state.current && state.current.id === last.step;  /* else the step is done: its history says it */
        if (error && same && !last.correct && last.message) { error.textContent = [last.message, diagnosis].filter(Boolean).join(" "); }
      }).catch(function (e) {
        form.querySelector(".rpt-walkthrough-error").textContent = e.message;
        announce(e.message);
      });
    });
    item.appendChild(form);
    return item;
  }

  render(false);
}
