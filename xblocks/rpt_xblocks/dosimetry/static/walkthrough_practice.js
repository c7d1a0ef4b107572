/* rpt_dosimetry's practice rounds, shown under a finished walkthrough's summary: new numbers from
 * the server (`practice`), answers checked by the server (`practice_check`), nothing graded or
 * stored. `RptWalkthroughPractice(kit, labels).section(numbers)` returns the section's element;
 * `numbers(parameters, name)` draws a list of numbers as the walkthrough does; `answerField(form,
 * prefix, step, inputClass)` is the walkthrough's labelled answer input. */
window.RptWalkthroughPractice = function (kit, labels, answerField) {
  "use strict";
  var fill = kit.fill, el = kit.el, html = kit.html, call = kit.call, announce = kit.announce, uid = kit.uid + "-practice";
  var round = 0;

  function section(numbers) {
    var box = el("section", {"class": "rpt-walkthrough-practice", "aria-label": labels.practice});
    var start = el("button", {type: "button", "class": "rpt-walkthrough-practise"}, round ? labels.practice_more : labels.practice);
    var area = el("div", {"class": "rpt-walkthrough-practice-round"});
    start.addEventListener("click", function () {
      call("practice", {round: round + 1}).then(function (reply) {
        round = reply.round;
        start.textContent = labels.practice_more;
        showRound(area, reply, numbers);
      }).catch(function (e) { announce(e.message); });
    });
    box.appendChild(start);
    box.appendChild(area);
    return box;
  }

  function showRound(area, reply, numbers) {
    area.innerHTML = "";
    var heading = el("h4", {id: uid + "-heading", tabindex: "-1"}, fill(labels.practice_heading, {n: reply.round}));
    area.appendChild(heading);
    area.appendChild(el("p", {"class": "rpt-walkthrough-practice-note"}, labels.practice_note));
    area.appendChild(numbers(reply.parameters, labels.practice_numbers));
    var list = el("ol", {"class": "rpt-walkthrough-steps", role: "list"});
    area.appendChild(list);
    if (reply.step) { list.appendChild(stepForm(list, reply.step, reply.step_count)); }
    heading.focus();
  }

  function stepForm(list, step, count) {
    var item = el("li", {"class": "rpt-walkthrough-practice-step"});
    var headingId = uid + "-step-" + step.number;
    item.appendChild(el("h5", {id: headingId}, fill(labels.step, {n: step.number, total: count})));
    item.appendChild(html("div", {"class": "rpt-walkthrough-prompt", id: headingId + "-prompt"}, step.prompt));
    var form = el("form", {"class": "rpt-walkthrough-form", novalidate: "novalidate", "aria-labelledby": headingId});
    var input = answerField(form, headingId, step, "rpt-walkthrough-practice-answer");
    form.appendChild(el("button", {type: "submit"}, labels.check));
    var reveal = el("button", {type: "button", "class": "rpt-walkthrough-reveal"}, labels.show_answer);
    form.appendChild(reveal);
    var error = el("p", {"class": "rpt-walkthrough-error", id: headingId + "-error"});
    form.appendChild(error);
    item.appendChild(form);

    function send(data) {
      call("practice_check", Object.assign({round: currentRound(), step: step.id}, data)).then(function (reply) {
        if (!reply.correct && !reply.reference) {
          var diagnosis = reply.diagnosis ? fill(labels.diagnosis, {message: reply.diagnosis}) : "";
          error.textContent = [labels.incorrect, reply.message, diagnosis].filter(Boolean).join(" ");
          announce(error.textContent);
          return;
        }
        form.remove();
        if (reply.correct) { item.appendChild(el("p", {"class": "rpt-walkthrough-correct"}, labels.correct + " \u2014 " + fill(labels.your_answer, {value: input.value}))); }
        item.appendChild(el("p", {"class": "rpt-walkthrough-reference"}, fill(labels.reference, {value: reply.reference})));
        if (reply.explanation) { item.appendChild(html("div", {"class": "rpt-walkthrough-explanation"}, reply.explanation)); }
        if (reply.next) {
          var next = stepForm(list, reply.next, count);
          list.appendChild(next);
          next.querySelector("input").focus();
        } else {
          list.parentNode.appendChild(el("p", {"class": "rpt-walkthrough-practice-done"}, labels.practice_done));
        }
        announce(reply.correct ? labels.correct : fill(labels.reference, {value: reply.reference}));
      }).catch(function (e) { error.textContent = e.message; announce(e.message); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); send({answer: input.value}); });
    reveal.addEventListener("click", function () { send({reveal: true}); });
    return item;
  }

  function currentRound() { return round; }

  return {section: section};
};
