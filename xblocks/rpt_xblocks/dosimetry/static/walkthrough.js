/* rpt_dosimetry: renders the learner's walkthrough state (sent by the server) one step at a time.
 * Learner-facing strings come translated from the server in `labels`; prompts and explanations
 * were sanitized on the server. */
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

  function render(focusAnswer) {
    body.innerHTML = "";
    body.appendChild(el("h3", {"class": "rpt-walkthrough-title"}, state.title));
    var numbers = el("dl", {"class": "rpt-walkthrough-parameters", "aria-label": labels.parameters});
    state.parameters.forEach(function (p) {
      numbers.appendChild(el("dt", {}, p.name));
      numbers.appendChild(el("dd", {}, p.value + (p.citation ? " (" + p.citation + ")" : "")));
    });
    body.appendChild(numbers);
    var list = el("ol", {"class": "rpt-walkthrough-steps"});
    state.finished.forEach(function (step) {
      var item = el("li", {"class": "rpt-walkthrough-done"});
      item.appendChild(html("div", {"class": "rpt-walkthrough-prompt"}, step.prompt));
      item.appendChild(el("p", {"class": step.correct ? "rpt-walkthrough-correct" : "rpt-walkthrough-incorrect"},
        (step.correct ? labels.correct : labels.incorrect) + " \u2014 " + fill(labels.your_answer, {value: step.answer})));
      item.appendChild(el("p", {"class": "rpt-walkthrough-reference"}, fill(labels.reference, {value: step.reference})));
      if (step.explanation) { item.appendChild(html("div", {"class": "rpt-walkthrough-explanation"}, step.explanation)); }
      if (step.source) { item.appendChild(el("p", {"class": "rpt-walkthrough-source"}, fill(labels.source, {source: step.source}))); }
      list.appendChild(item);
    });
    if (state.current) { list.appendChild(currentStep(state.current)); }
    body.appendChild(list);
    if (state.score) {
      body.appendChild(el("h4", {}, labels.summary));
      body.appendChild(el("p", {"class": "rpt-walkthrough-score"}, fill(labels.score, state.score)));
      if (state.plot) { body.appendChild(html("figure", {"class": "rpt-walkthrough-plot"}, state.plot)); }  /* SVG built on the server with escaped text */
      var print = el("button", {type: "button", "class": "rpt-walkthrough-print"}, labels.print);
      print.addEventListener("click", function () { window.print(); });
      body.appendChild(print);
    }
    if (focusAnswer) {
      var input = body.querySelector(".rpt-walkthrough-answer");
      if (input) { input.focus(); }
    }
  }

  function currentStep(step) {
    var item = el("li", {"class": "rpt-walkthrough-current"});
    var form = el("form", {"class": "rpt-walkthrough-form", novalidate: "novalidate"});
    var heading = el("h4", {id: uid + "-heading"}, fill(labels.step, {n: step.number, total: state.step_count}));
    form.appendChild(heading);
    form.appendChild(html("div", {"class": "rpt-walkthrough-prompt", id: uid + "-prompt"}, step.prompt));
    var inputId = uid + "-answer";
    form.appendChild(el("label", {"for": inputId}, step.unit ? fill(labels.answer_label, {unit: step.unit}) : labels.answer_label_plain));
    var input = el("input", {type: "text", id: inputId, "class": "rpt-walkthrough-answer", inputmode: "decimal",
      autocomplete: "off", spellcheck: "false", maxlength: "64", "aria-describedby": uid + "-prompt " + uid + "-error"});
    form.appendChild(input);
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
        announce(last.correct ? labels.correct : [labels.incorrect, last.message].filter(Boolean).join(" "));
        var error = body.querySelector(".rpt-walkthrough-error");
        if (error && !last.correct && last.message) { error.textContent = last.message; }
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
