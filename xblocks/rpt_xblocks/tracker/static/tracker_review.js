/* rpt_prereq_tracker: the preceptor's view, separate from their own records. It lists the entries
 * naming the preceptor ("mine") or, for any member of the course team, every entry waiting ("all"),
 * one page at a time, filterable by the supervising AU named. The buttons to decide an entry appear
 * only where the server says this reviewer may decide it (`may_decide`); the server checks again.
 * `ctx` gives the kit, labels, the entry describer, the current state and a way to redraw. */
window.RptTrackerReview = function (ctx) {
  "use strict";
  var labels = ctx.labels, el = ctx.kit.el, fill = ctx.kit.fill, call = ctx.kit.call, announce = ctx.kit.announce;

  function show(query) {
    call("state", query).then(function (reply) {
      ctx.query(query); ctx.update(reply, "review");
    }, function (error) { announce(fill(labels.error, {message: error.message})); });
  }

  function controls(box, review) {
    var form = el("form", {"class": "rpt-tracker-queue-filter"});
    var queue = ctx.select(form, "queue_choice", labels.queue_choice,
                           [{id: "mine", label: labels.queue_mine}, {id: "all", label: labels.queue_all}]);
    queue.value = review.queue;
    queue.addEventListener("change", function () { show({page: 1, supervising_au: "", queue: queue.value}); });
    if (review.supervising_aus.length) {
      var choices = [{id: "", label: labels.filter_all}].concat(review.supervising_aus.map(function (name) { return {id: name, label: name}; }));
      var chosen = ctx.select(form, "queue_supervising_au", labels.filter_au, choices);
      chosen.value = review.supervising_au;
      chosen.addEventListener("change", function () { show({page: 1, supervising_au: chosen.value, queue: review.queue}); });
    }
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    box.appendChild(form);
    var nav = el("p", {"class": "rpt-tracker-queue-pages"});
    nav.appendChild(el("span", {}, review.total_text));
    [["previous_page", review.page - 1], ["next_page", review.page + 1]].forEach(function (pair) {
      if (pair[1] < 1 || pair[1] > review.pages) { return; }
      var button = el("button", {type: "button"}, labels[pair[0]]);
      button.addEventListener("click", function () { show({page: pair[1], supervising_au: review.supervising_au, queue: review.queue}); });
      nav.appendChild(document.createTextNode(" "));
      nav.appendChild(button);
    });
    box.appendChild(nav);
  }

  function decisionForm(item, learner, entry) {
    var form = el("form", {novalidate: "novalidate"});
    var comment = ctx.field(form, "comment", fill(labels.comment, {entry: entry.id}), {maxlength: "500"});
    comment.id = ctx.uid + "-comment-" + learner.learner.replace(/\W/g, "") + "-" + entry.id;
    form.querySelector("label").setAttribute("for", comment.id);
    form.querySelector(".rpt-tracker-error").id = comment.id + "-error";
    comment.setAttribute("aria-describedby", comment.id + "-error");
    ctx.formError(form);
    ["verified", "rejected"].forEach(function (decision) {
      var button = el("button", {type: "button"}, fill(labels[decision === "verified" ? "verify" : "reject"], {entry: entry.id}));
      button.addEventListener("click", function () {
        var q = ctx.query();
        call("review_entry", {learner: learner.learner, entry: entry.id, decision: decision, comment: comment.value,
                              page: q.page, supervising_au: q.supervising_au, queue: q.queue}).then(function (reply) {
          ctx.update(reply, "review"); announce(fill(labels.reviewed, {entry: entry.id, decision: labels[decision]}));
        }, function (error) { ctx.showError(form, error); });
      });
      form.appendChild(button);
    });
    item.appendChild(form);
  }

  function render(body) {
    var review = ctx.state().review;
    var box = ctx.section(body, labels.staff, "review");
    controls(box, review);
    if (!review.pending.length) { box.appendChild(el("p", {}, labels.queue_empty)); }
    review.pending.forEach(function (learner) {
      box.appendChild(el("h4", {}, fill(labels.learner, {name: learner.name})));
      var list = el("ul", {"class": "rpt-tracker-queue"});
      learner.entries.forEach(function (entry) {
        var item = el("li", {"class": "rpt-tracker-pending"});
        item.appendChild(el("p", {}, ctx.entries.line(entry)));
        var notes = [];
        if (entry.corrects) { notes.push(fill(labels.correction_of, {entry: entry.corrects})); }
        if (entry.kind === "work" || entry.kind === "case") {
          notes.push(entry.fields.preceptor ? fill(labels.names_preceptor, {username: entry.fields.preceptor}) : labels.names_no_username);
        }
        if (entry.override) { notes.push(labels.override_note); }
        if (notes.length) { item.appendChild(el("p", {"class": "rpt-tracker-note"}, notes.join(" "))); }
        if (entry.may_decide) { decisionForm(item, learner, entry); } else { item.appendChild(el("p", {"class": "rpt-tracker-note"}, labels.not_yours)); }
        list.appendChild(item);
      });
      box.appendChild(list);
    });
    box.appendChild(el("h4", {}, labels.counts));
    var counts = el("ul", {"class": "rpt-tracker-counts"});
    Object.keys(ctx.vocab.requirements).forEach(function (key) {
      counts.appendChild(el("li", {}, ctx.vocab.requirements[key] + ": " + fill(labels.count_row, {count: review.counts[key] || 0, total: review.learners})));
    });
    box.appendChild(counts);
  }
  return {render: render};
};
