/* rpt_prereq_tracker: the learner's plan, progress, entry form, entries, audit trail, exports; for
 * staff, the preceptor review queue and counts. All text comes translated from the server in
 * `labels`; learner text is always inserted as text (textContent), never as HTML. */
function RptTrackerBlock(runtime, element, init) {
  "use strict";
  init = window.RptBlockKit.unpack(init);
  var root = element.querySelector(".rpt-tracker") || element;
  var body = root.querySelector(".rpt-tracker-body");
  var status = root.querySelector(".rpt-tracker-status");
  var labels = init.labels, vocab = init.vocabulary, state = init.state;
  var kit = window.RptBlockKit(runtime, element, status);
  var fill = kit.fill, el = kit.el, call = kit.call, announce = kit.announce, uid = kit.uid;
  var chosenKind = "case";
  var reviewQuery = {page: 1, supervising_au: ""};  /* the queue page and filter a preceptor is on */
  var pendingEntryId = null;  /* the client id of the entry being added: a resend (double click) adds it once */

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function section(title, cls) {
    var box = el("section", {"class": "rpt-tracker-" + cls, "aria-labelledby": uid + "-" + cls});
    box.appendChild(el("h3", {id: uid + "-" + cls}, title));
    body.appendChild(box);
    return box;
  }

  function field(form, name, label, attrs, tag) {
    var id = uid + "-" + name;
    var wrap = el("div", {"class": "rpt-tracker-field"});
    wrap.appendChild(el("label", {"for": id}, label));
    var input = el(tag || "input", Object.assign({id: id, name: name, "aria-describedby": id + "-error"}, attrs || {}));
    wrap.appendChild(input);
    wrap.appendChild(el("p", {id: id + "-error", "class": "rpt-tracker-error"}));
    form.appendChild(wrap);
    return input;
  }

  function select(form, name, label, options) {
    var input = field(form, name, label, {}, "select");
    options.forEach(function (o) { input.appendChild(el("option", {value: o.id}, o.label)); });
    return input;
  }

  function showError(form, error) {
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    form.querySelectorAll(".rpt-tracker-error").forEach(function (n) { n.textContent = ""; });
    var reply = error.reply || {};
    var target = reply.field ? form.querySelector('[name="' + reply.field + '"]') : null;
    var message = fill(labels.error, {message: error.message});
    if (target) {
      target.setAttribute("aria-invalid", "true");
      document.getElementById(target.id + "-error").textContent = error.message;
      target.focus();
    } else {
      form.querySelector(".rpt-tracker-form-error").textContent = message;
    }
    announce(message);
  }

  function formError(form) { form.appendChild(el("p", {"class": "rpt-tracker-form-error rpt-tracker-error", role: "alert"})); }

  function submitButton(form, text) { form.appendChild(el("button", {type: "submit"}, text)); }

  function renderPlan() {
    var box = section(labels.plan, "plan");
    var form = el("form", {novalidate: "novalidate"});
    var date = field(form, "application_date", labels.application_date, {type: "date"});
    date.value = (state.plan && state.plan.application_date) || "";
    var group = el("fieldset", {"class": "rpt-tracker-categories"});
    group.appendChild(el("legend", {}, labels.categories));
    vocab.categories.forEach(function (c) {
      var id = uid + "-cat-" + c.id;
      var row = el("div", {});
      var box2 = el("input", {type: "checkbox", id: id, name: "categories", value: c.id});
      box2.checked = (state.plan.categories || []).indexOf(c.id) >= 0;
      row.appendChild(box2);
      row.appendChild(el("label", {"for": id}, c.label));
      group.appendChild(row);
    });
    form.appendChild(group);
    formError(form);
    submitButton(form, labels.save_plan);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var categories = Array.prototype.map.call(form.querySelectorAll('[name="categories"]:checked'), function (n) { return n.value; });
      call("set_plan", {application_date: date.value, categories: categories}).then(function (reply) {
        state = reply; render(); focusIn("plan"); announce(labels.saved);
      }, function (error) { showError(form, error); });
    });
    box.appendChild(form);
  }

  function renderProgress() {
    var box = section(labels.progress, "progress");
    vocab.sets.forEach(function (set) {
      var rows = state.progress.requirements.filter(function (r) { return r.set_id === set.id; });
      if (!rows.length) { return; }
      var table = el("table", {});
      table.appendChild(el("caption", {}, set.title));
      var head = el("tr", {});
      [labels.requirement, labels.have, labels.need, labels.status].forEach(function (h) { head.appendChild(el("th", {scope: "col"}, h)); });
      table.appendChild(el("thead", {})).appendChild(head);
      var body = el("tbody", {});
      rows.forEach(function (r) {
        var row = el("tr", {"class": "rpt-tracker-" + r.status});
        var name = el("th", {scope: "row"}, r.title);
        name.appendChild(el("span", {"class": "rpt-tracker-citation"}, " (" + r.citation + ")"));
        if (r.missing && r.missing.length) { name.appendChild(el("span", {"class": "rpt-tracker-missing"}, " \u2014 " + r.missing.join("; "))); }
        row.appendChild(name);
        row.appendChild(el("td", {}, r.have_verified + " / " + r.have_total + (r.unit ? " " + r.unit : "")));
        row.appendChild(el("td", {}, r.need === null ? "" : String(r.need)));
        row.appendChild(el("td", {}, labels["status_" + r.status] || r.status));
        body.appendChild(row);
      });
      table.appendChild(body);
      box.appendChild(table);
    });
    if (state.progress.warnings.length) {
      box.appendChild(el("h4", {}, labels.warnings));
      var warnings = el("ul", {"class": "rpt-tracker-warnings"});
      state.progress.warnings.forEach(function (w) { warnings.appendChild(el("li", {}, w.entry + ": " + w.message)); });
      box.appendChild(warnings);
    }
    if (state.progress.next_steps.length) {
      box.appendChild(el("h4", {}, labels.next_steps));
      var steps = el("ul", {"class": "rpt-tracker-next"});
      state.progress.next_steps.forEach(function (s) { steps.appendChild(el("li", {}, s)); });
      box.appendChild(steps);
    }
  }

  var KIND_FIELDS = {
    didactic: function (form) {
      field(form, "provider", labels.provider, {maxlength: "200", required: "required"});
      field(form, "start", labels.start, {type: "date", required: "required"});
      field(form, "end", labels.end, {type: "date", required: "required"});
      vocab.topics.forEach(function (t) {
        field(form, "hours." + t.id, fill(labels.hours_in, {topic: t.label}), {type: "number", min: "0", step: "0.5", inputmode: "decimal"});
      });
      field(form, "certificate", labels.certificate, {maxlength: "200"});
    },
    work: function (form) {
      select(form, "item", labels.item, vocab.items);
      field(form, "date", labels.date, {type: "date", required: "required"});
      field(form, "hours", labels.hours, {type: "number", min: "0", step: "0.5", inputmode: "decimal", required: "required"});
      field(form, "supervising_au", labels.supervising_au, {maxlength: "200", required: "required"});
      field(form, "site", labels.site, {maxlength: "200", required: "required"});
      field(form, "description", labels.description, {maxlength: "500"}, "textarea");
    },
    "case": function (form) {
      field(form, "date", labels.date, {type: "date", required: "required"});
      select(form, "category", labels.category, vocab.categories);
      field(form, "radiopharmaceutical", labels.radiopharmaceutical, {maxlength: "200", required: "required"});
      field(form, "activity", labels.activity, {maxlength: "64", autocomplete: "off", spellcheck: "false", required: "required"});
      field(form, "supervising_au", labels.supervising_au, {maxlength: "200", required: "required"});
      field(form, "case_reference", labels.case_reference, {maxlength: "40", autocomplete: "off", required: "required"});
      field(form, "notes", labels.notes, {maxlength: "500"}, "textarea");
    },
    declaration: function (form) {
      select(form, "requirement", labels.requirement_declared, vocab.declarations);
      field(form, "date", labels.date, {type: "date", required: "required"});
      field(form, "reference", labels.reference, {maxlength: "200"});
    }
  };

  function collect(form) {
    var fields = {};
    form.querySelectorAll(".rpt-tracker-kind-fields [name]").forEach(function (input) {
      var name = input.name, value = input.value;
      if (input.type === "number") { value = value === "" ? (name.indexOf("hours.") === 0 ? 0 : null) : Number(value); }
      if (name.indexOf("hours.") === 0) {
        fields.hours = fields.hours || {};
        fields.hours[name.slice(6)] = value;
      } else { fields[name] = value; }
    });
    return fields;
  }

  function renderAdd() {
    var box = section(labels.add, "add");
    var form = el("form", {novalidate: "novalidate"});
    var kind = select(form, "kind", labels.kind, vocab.kinds.filter(function (k) { return k.id !== "declaration" || vocab.declarations.length; }));
    kind.value = chosenKind;
    var fields = el("div", {"class": "rpt-tracker-kind-fields"});
    form.appendChild(fields);
    function showKind() {
      fields.innerHTML = "";
      chosenKind = kind.value;
      KIND_FIELDS[kind.value](fields);
    }
    kind.addEventListener("change", showKind);
    showKind();
    formError(form);
    submitButton(form, labels.save_entry);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pendingEntryId = pendingEntryId || newClientId();
      call("add_entry", {kind: kind.value, fields: collect(form), client_id: pendingEntryId}).then(function (reply) {
        var added = reply.entries[reply.entries.length - 1];
        pendingEntryId = null;
        state = reply; render(); focusIn("add"); announce(fill(labels.added, {entry: added.id}));
      }, function (error) { showError(form, error); });
    });
    box.appendChild(form);
  }

  function describe(entry) {
    var f = entry.fields;
    var label = (vocab.kinds.filter(function (k) { return k.id === entry.kind; })[0] || {}).label || entry.kind;
    var parts = {
      didactic: function () { return [f.provider, f.start + " \u2013 " + f.end, Object.keys(f.hours).reduce(function (s, k) { return s + f.hours[k]; }, 0) + " h"]; },
      work: function () { return [f.item, f.date, f.hours + " h", f.supervising_au, f.site]; },
      "case": function () { return [f.category, f.date, f.radiopharmaceutical, f.activity.value + " " + f.activity.unit, f.case_reference]; },
      declaration: function () {
        var declared = vocab.declarations.filter(function (d) { return d.id === f.requirement; })[0];
        return [declared ? declared.label : f.requirement, f.date, f.reference];
      }
    }[entry.kind]();
    return entry.id + " \u2014 " + label + ": " + parts.filter(function (p) { return p; }).join(", ");
  }

  function renderEntries() {
    var box = section(labels.entries, "entries");
    var list = el("ul", {"class": "rpt-tracker-entry-list"});
    state.entries.forEach(function (entry) {
      var item = el("li", {"class": "rpt-tracker-entry" + (entry.deleted ? " rpt-tracker-deleted" : "")});
      item.appendChild(el("span", {}, describe(entry)));
      var badge = entry.deleted ? labels.deleted : labels[entry.status];
      item.appendChild(el("span", {"class": "rpt-tracker-badge rpt-tracker-" + (entry.deleted ? "deleted" : entry.status)}, " [" + badge + "]"));
      if (entry.review && entry.review.comment) {
        item.appendChild(el("p", {"class": "rpt-tracker-review"}, fill(labels.review_by, {decision: labels[entry.status], by: entry.review.by, comment: entry.review.comment})));
      }
      if (!entry.deleted) {
        var remove = el("button", {type: "button", "class": "rpt-tracker-delete"}, fill(labels["delete"], {entry: entry.id}));
        remove.addEventListener("click", function () {
          if (!window.confirm(fill(labels.confirm_delete, {entry: entry.id}))) { return; }
          call("delete_entry", {entry: entry.id}).then(function (reply) {
            state = reply; render(); focusIn("entries"); announce(fill(labels.removed, {entry: entry.id}));
          }, function (error) { announce(fill(labels.error, {message: error.message})); });
        });
        item.appendChild(remove);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    var links = el("p", {"class": "rpt-tracker-export"});
    links.appendChild(el("a", {href: runtime.handlerUrl(element, "case_log_csv"), download: "case-log.csv"}, labels.csv));
    links.appendChild(document.createTextNode(" \u00b7 "));
    links.appendChild(el("a", {href: runtime.handlerUrl(element, "printable_summary"), target: "_blank", rel: "noopener"}, labels.printable));
    box.appendChild(links);
  }

  function renderAudit() {
    var details = el("details", {"class": "rpt-tracker-audit"});
    details.appendChild(el("summary", {}, labels.audit));
    var list = el("ol", {});
    state.audit.forEach(function (event) {
      var text = fill(labels["audit_" + event.action] || event.action, {by: event.by, entry: event.entry || ""});
      if (event.comment) { text += ": " + event.comment; }
      list.appendChild(el("li", {}, event.at.replace("T", " ").replace("+00:00", " UTC") + " \u2014 " + text));
    });
    details.appendChild(list);
    body.appendChild(details);
  }

  function renderReview() {
    var box = section(labels.staff, "review");
    renderQueueControls(box);
    if (!state.review.pending.length) { box.appendChild(el("p", {}, labels.queue_empty)); }
    state.review.pending.forEach(function (learner) {
      box.appendChild(el("h4", {}, fill(labels.learner, {name: learner.name})));
      var list = el("ul", {});
      learner.entries.forEach(function (entry) {
        var item = el("li", {"class": "rpt-tracker-pending"});
        item.appendChild(el("p", {}, describe(entry)));
        var form = el("form", {novalidate: "novalidate"});
        var comment = field(form, "comment", fill(labels.comment, {entry: entry.id}), {maxlength: "500"});
        comment.id = uid + "-comment-" + learner.learner.replace(/\W/g, "") + "-" + entry.id;
        form.querySelector("label").setAttribute("for", comment.id);
        form.querySelector(".rpt-tracker-error").id = comment.id + "-error";
        comment.setAttribute("aria-describedby", comment.id + "-error");
        formError(form);
        ["verified", "rejected"].forEach(function (decision) {
          var button = el("button", {type: "button"}, fill(labels[decision === "verified" ? "verify" : "reject"], {entry: entry.id}));
          button.addEventListener("click", function () {
            call("review_entry", {learner: learner.learner, entry: entry.id, decision: decision, comment: comment.value,
                                  page: reviewQuery.page, supervising_au: reviewQuery.supervising_au}).then(function (reply) {
              state = reply; render(); focusIn("review"); announce(fill(labels.reviewed, {entry: entry.id, decision: labels[decision]}));
            }, function (error) { showError(form, error); });
          });
          form.appendChild(button);
        });
        item.appendChild(form);
        list.appendChild(item);
      });
      box.appendChild(list);
    });
    box.appendChild(el("h4", {}, labels.counts));
    var counts = el("ul", {"class": "rpt-tracker-counts"});
    Object.keys(vocab.requirements).forEach(function (key) {
      counts.appendChild(el("li", {}, vocab.requirements[key] + ": " + fill(labels.count_row, {count: state.review.counts[key] || 0, total: state.review.learners})));
    });
    box.appendChild(counts);
  }

  /* The queue is paged on the server; a preceptor may show only entries naming one supervising AU. */
  function renderQueueControls(box) {
    var review = state.review;
    function show(query) {
      call("state", query).then(function (reply) {
        reviewQuery = query; state = reply; render(); focusIn("review");
      }, function (error) { announce(fill(labels.error, {message: error.message})); });
    }
    if (review.supervising_aus.length) {
      var filter = el("form", {"class": "rpt-tracker-queue-filter"});
      var choices = [{id: "", label: labels.filter_all}].concat(review.supervising_aus.map(function (name) { return {id: name, label: name}; }));
      var chosen = select(filter, "queue_supervising_au", labels.filter_au, choices);
      chosen.value = review.supervising_au;
      chosen.addEventListener("change", function () { show({page: 1, supervising_au: chosen.value}); });
      box.appendChild(filter);
    }
    var nav = el("p", {"class": "rpt-tracker-queue-pages"});
    nav.appendChild(el("span", {}, fill(labels.queue_page, {page: review.page, pages: review.pages, total: review.total})));
    [["previous_page", review.page - 1], ["next_page", review.page + 1]].forEach(function (pair) {
      if (pair[1] < 1 || pair[1] > review.pages) { return; }
      var button = el("button", {type: "button"}, labels[pair[0]]);
      button.addEventListener("click", function () { show({page: pair[1], supervising_au: review.supervising_au}); });
      nav.appendChild(document.createTextNode(" "));
      nav.appendChild(button);
    });
    box.appendChild(nav);
  }

  /* After a redraw the focus stays where the learner was working (WCAG 2.4.3): the section's heading. */
  function focusIn(cls) {
    var heading = body.querySelector(".rpt-tracker-" + cls + " h3");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function render() {
    body.innerHTML = "";
    renderPlan();
    renderProgress();
    renderAdd();
    renderEntries();
    renderAudit();
    if (state.staff && state.review) { renderReview(); }
  }

  render();
  if (state.stale) {
    call("state", reviewQuery).then(function (reply) { state = reply; render(); }, function () { /* shown as saved */ });
  }
}
