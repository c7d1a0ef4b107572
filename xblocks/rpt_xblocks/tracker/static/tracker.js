/* rpt_prereq_tracker: the learner's view — a short progress summary and the entry form first, then
 * the entries as a table (with corrections of rejected entries), and, collapsible, the requirements
 * in detail, the plan and the audit trail; for the course team, a separate preceptor view
 * (tracker_review.js) and a switch between the two. All text comes translated from the server in
 * `labels` (plural-aware sentences come ready made in the state); learner text is always inserted
 * as text (textContent), never as HTML. Loaded after tracker_entries.js and tracker_review.js. */
function RptTrackerBlock(runtime, element, init) {
  "use strict";
  init = window.RptBlockKit.unpack(init);
  var root = element.querySelector(".rpt-tracker") || element;
  var body = root.querySelector(".rpt-tracker-body");
  var status = root.querySelector(".rpt-tracker-status");
  var labels = init.labels, vocab = init.vocabulary, state = init.state;
  var kit = window.RptBlockKit(runtime, element, status);
  var fill = kit.fill, el = kit.el, call = kit.call, announce = kit.announce, uid = kit.uid;
  var entries = window.RptTrackerEntries(labels, vocab, fill);
  var chosenKind = "case";
  var correcting = null;  /* the rejected entry being corrected, or null */
  var view = state.staff ? "review" : "own";  /* the course team starts on the preceptor view */
  var reviewQuery = {page: 1, supervising_au: "", queue: ""};  /* the queue page, filter and queue shown */
  var pendingEntryId = null;  /* the client id of the entry being added: a resend (double click) adds it once */
  var opened = {};  /* which collapsible parts the learner opened or closed, kept across redraws */
  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function section(parent, title, cls) {
    var box = el("section", {"class": "rpt-tracker-" + cls, "aria-labelledby": uid + "-" + cls});
    box.appendChild(el("h3", {id: uid + "-" + cls}, title));
    parent.appendChild(box);
    return box;
  }

  /* A <details> part (native, keyboard accessible) whose open state survives redraws. */
  function collapsible(parent, key, title, openByDefault) {
    var details = el("details", {"class": "rpt-tracker-" + key});
    details.open = opened.hasOwnProperty(key) ? opened[key] : openByDefault;
    details.appendChild(el("summary", {}, title));
    details.addEventListener("toggle", function () { opened[key] = details.open; });
    parent.appendChild(details);
    return details;
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
    var planned = state.plan && (state.plan.application_date || (state.plan.categories || []).length);
    var box = collapsible(body, "plan", labels.plan, !planned);
    var form = el("form", {novalidate: "novalidate"});
    var date = field(form, "application_date", labels.application_date, {type: "date"});
    date.value = (state.plan && state.plan.application_date) || "";
    var group = el("fieldset", {"class": "rpt-tracker-categories"});
    group.appendChild(el("legend", {}, labels.categories));
    vocab.categories.forEach(function (c) {
      var id = uid + "-cat-" + c.id;
      var row = el("div", {});
      var box2 = el("input", {type: "checkbox", id: id, name: "categories", value: c.id});
      box2.checked = ((state.plan || {}).categories || []).indexOf(c.id) >= 0;
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
        update(reply, "plan"); announce(labels.saved);
      }, function (error) { showError(form, error); });
    });
    box.appendChild(form);
  }

  function renderSummary() {
    var box = section(body, labels.summary, "summary");
    state.summary.sentences.forEach(function (sentence) { box.appendChild(el("p", {}, sentence)); });
    if (state.progress.next_steps.length) {
      box.appendChild(el("p", {"class": "rpt-tracker-next-first"}, fill(labels.next_first, {step: state.progress.next_steps[0]})));
    }
  }

  function renderProgress() {
    var box = collapsible(body, "progress", labels.details, false);
    vocab.sets.forEach(function (set) {
      var rows = state.progress.requirements.filter(function (r) { return r.set_id === set.id; });
      if (!rows.length) { return; }
      var table = el("table", {});
      table.appendChild(el("caption", {}, set.title));
      var head = el("tr", {});
      [labels.requirement, labels.have, labels.need, labels.status].forEach(function (h) { head.appendChild(el("th", {scope: "col"}, h)); });
      table.appendChild(el("thead", {})).appendChild(head);
      var tbody = el("tbody", {});
      rows.forEach(function (r) {
        var row = el("tr", {"class": "rpt-tracker-" + r.status});
        var name = el("th", {scope: "row"}, r.title);
        name.appendChild(el("span", {"class": "rpt-tracker-citation"}, " (" + r.citation + ")"));
        if (r.missing && r.missing.length) { name.appendChild(el("span", {"class": "rpt-tracker-missing"}, " \u2014 " + r.missing.join("; "))); }
        row.appendChild(name);
        row.appendChild(el("td", {}, r.have_verified + " / " + r.have_total + (r.unit ? " " + r.unit : "")));
        row.appendChild(el("td", {}, r.need === null ? "" : String(r.need)));
        row.appendChild(el("td", {}, labels["status_" + r.status] || r.status));
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
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
      state.progress.next_steps.forEach(function (step) { steps.appendChild(el("li", {}, step)); });
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
      field(form, "preceptor", labels.preceptor, {maxlength: "150", autocomplete: "off", spellcheck: "false"});
      field(form, "site", labels.site, {maxlength: "200", required: "required"});
      field(form, "description", labels.description, {maxlength: "500"}, "textarea");
    },
    "case": function (form) {
      field(form, "date", labels.date, {type: "date", required: "required"});
      select(form, "category", labels.category, vocab.categories);
      field(form, "radiopharmaceutical", labels.radiopharmaceutical, {maxlength: "200", required: "required"});
      field(form, "activity", labels.activity, {maxlength: "64", autocomplete: "off", spellcheck: "false", required: "required"});
      field(form, "supervising_au", labels.supervising_au, {maxlength: "200", required: "required"});
      field(form, "preceptor", labels.preceptor, {maxlength: "150", autocomplete: "off", spellcheck: "false"});
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

  /* The form's inputs filled from an entry's stored fields (to correct a rejected entry). */
  function prefill(form, fields) {
    form.querySelectorAll(".rpt-tracker-kind-fields [name]").forEach(function (input) {
      var name = input.name, value;
      if (name.indexOf("hours.") === 0) { value = (fields.hours || {})[name.slice(6)]; }
      else if (name === "activity" && fields.activity) { value = fields.activity.value + " " + fields.activity.unit; }
      else { value = fields[name]; }
      input.value = value === undefined || value === null ? "" : String(value);
    });
  }

  function renderAdd() {
    var box = section(body, labels.add, "add");
    var form = el("form", {novalidate: "novalidate"});
    if (correcting) {
      var note = el("p", {"class": "rpt-tracker-correcting"}, fill(labels.correcting, {entry: correcting.id}) + " ");
      var cancel = el("button", {type: "button"}, labels.cancel_correction);
      cancel.addEventListener("click", function () { correcting = null; render(); focusIn("add"); });
      note.appendChild(cancel);
      form.appendChild(note);
    }
    var kinds = vocab.kinds.filter(function (k) { return k.id !== "declaration" || vocab.declarations.length; });
    if (correcting) { kinds = kinds.filter(function (k) { return k.id === correcting.kind; }); }
    var kind = select(form, "kind", labels.kind, kinds);
    kind.value = correcting ? correcting.kind : chosenKind;
    var fields = el("div", {"class": "rpt-tracker-kind-fields"});
    form.appendChild(fields);
    function showKind() {
      fields.innerHTML = "";
      if (!correcting) { chosenKind = kind.value; }
      KIND_FIELDS[kind.value](fields);
    }
    kind.addEventListener("change", showKind);
    showKind();
    if (correcting) { prefill(form, correcting.fields); }
    formError(form);
    submitButton(form, correcting ? labels.save_correction : labels.save_entry);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      pendingEntryId = pendingEntryId || newClientId();
      var payload = {kind: kind.value, fields: collect(form), client_id: pendingEntryId};
      if (correcting) { payload.corrects = correcting.id; }
      call("add_entry", payload).then(function (reply) {
        var added = reply.entries[reply.entries.length - 1];
        pendingEntryId = null; correcting = null;
        update(reply, "add"); announce(fill(labels.added, {entry: added.id}));
      }, function (error) { showError(form, error); });
    });
    box.appendChild(form);
  }

  function statusCell(entry) {
    var cell = el("td", {});
    var badge = entry.deleted ? labels.deleted : labels[entry.status];
    cell.appendChild(el("span", {"class": "rpt-tracker-badge rpt-tracker-" + (entry.deleted ? "deleted" : entry.status)}, badge));
    if (entry.review && entry.review.comment) {
      var by = entry.review.override ? entry.review.by + " (" + labels.override + ")" : entry.review.by;
      cell.appendChild(el("p", {"class": "rpt-tracker-review-note"}, fill(labels.review_by, {decision: labels[entry.status], by: by, comment: entry.review.comment})));
    }
    if (entry.corrects) { cell.appendChild(el("p", {}, fill(labels.correction_of, {entry: entry.corrects}))); }
    if (entry.corrected_by) { cell.appendChild(el("p", {}, fill(labels.corrected_by, {entry: entry.corrected_by}))); }
    return cell;
  }

  function actionsCell(entry) {
    var cell = el("td", {});
    if (entry.deleted) { return cell; }
    if (entry.status === "rejected" && !entry.corrected_by) {
      var correct = el("button", {type: "button", "class": "rpt-tracker-correct"}, fill(labels.correct, {entry: entry.id}));
      correct.addEventListener("click", function () { correcting = entry; render(); focusIn("add"); });
      cell.appendChild(correct);
    }
    var remove = el("button", {type: "button", "class": "rpt-tracker-delete"}, fill(labels["delete"], {entry: entry.id}));
    remove.addEventListener("click", function () {
      if (!window.confirm(fill(labels.confirm_delete, {entry: entry.id}))) { return; }
      call("delete_entry", {entry: entry.id}).then(function (reply) {
        update(reply, "entries"); announce(fill(labels.removed, {entry: entry.id}));
      }, function (error) { announce(fill(labels.error, {message: error.message})); });
    });
    cell.appendChild(remove);
    return cell;
  }

  /* The case log: every entry as a table row (date, category, description, supervising AU, status). */
  function renderEntries() {
    var box = section(body, labels.entries, "entries");
    if (!state.entries.length) { box.appendChild(el("p", {}, labels.no_entries)); }
    else {
      var details = collapsible(box, "entry-table", fill(labels.entries_count, {count: state.entries.length}), true);
      var wrap = el("div", {"class": "rpt-tracker-scroll", role: "region", tabindex: "0",
                            "aria-label": fill(labels.entries_count, {count: state.entries.length})});
      var table = el("table", {"class": "rpt-tracker-log"});
      table.appendChild(el("caption", {}, labels.entries));
      var head = el("tr", {});
      [labels.entry, labels.col_date, labels.col_category, labels.col_description, labels.supervising_au, labels.status,
       labels.col_actions].forEach(function (h) { head.appendChild(el("th", {scope: "col"}, h)); });
      table.appendChild(el("thead", {})).appendChild(head);
      var tbody = el("tbody", {});
      state.entries.forEach(function (entry) {
        var c = entries.cells(entry);
        var row = el("tr", {"class": "rpt-tracker-entry" + (entry.deleted ? " rpt-tracker-deleted" : "")});
        row.appendChild(el("th", {scope: "row"}, entry.id));
        [c.date, c.category, c.description, c.au].forEach(function (text) { row.appendChild(el("td", {}, text)); });
        row.appendChild(statusCell(entry));
        row.appendChild(actionsCell(entry));
        tbody.appendChild(row);
      });
      table.appendChild(tbody);
      wrap.appendChild(table);
      details.appendChild(wrap);
    }
    var links = el("p", {"class": "rpt-tracker-export"});
    links.appendChild(el("a", {href: runtime.handlerUrl(element, "records_csv"), download: "training-records.csv"}, labels.csv));
    links.appendChild(document.createTextNode(" \u00b7 "));
    links.appendChild(el("a", {href: runtime.handlerUrl(element, "printable_summary"), target: "_blank", rel: "noopener"}, labels.printable));
    box.appendChild(links);
  }

  function renderAudit() {
    var details = collapsible(body, "audit", labels.audit, false);
    var list = el("ol", {});
    state.audit.forEach(function (event) {
      var text = fill(labels["audit_" + event.action] || event.action, {by: event.by, entry: event.entry || ""});
      if (event.override) { text = fill(labels.audit_override, {text: text}); }
      if (event.comment) { text += ": " + event.comment; }
      list.appendChild(el("li", {}, event.at.replace("T", " ").replace("+00:00", " UTC") + " \u2014 " + text));
    });
    details.appendChild(list);
  }

  /* For the course team: a switch between the preceptor view and their own records. */
  function renderViews() {
    var nav = el("div", {"class": "rpt-tracker-views", role: "group", "aria-label": labels.views});
    [["review", labels.view_review], ["own", labels.view_own]].forEach(function (pair) {
      var button = el("button", {type: "button", "aria-pressed": String(view === pair[0])}, pair[1]);
      button.addEventListener("click", function () {
        view = pair[0]; render();
        var again = body.querySelector('.rpt-tracker-views [aria-pressed="true"]');
        if (again) { again.focus(); }
      });
      nav.appendChild(button);
    });
    body.appendChild(nav);
  }

  var review = window.RptTrackerReview({
    kit: kit, labels: labels, vocab: vocab, entries: entries, uid: uid, field: field, select: select,
    formError: formError, showError: showError, section: section,
    state: function () { return state; },
    query: function (query) { if (query) { reviewQuery = query; } return reviewQuery; },
    update: function (reply, cls) { update(reply, cls); }
  });

  /* After a redraw the focus stays where the learner was working (WCAG 2.4.3): the part's heading. */
  function focusIn(cls) {
    var target = body.querySelector(".rpt-tracker-" + cls + " h3, details.rpt-tracker-" + cls + " > summary");
    if (target) {
      if (target.tagName === "H3") { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  }

  function update(reply, cls) { state = reply; render(); focusIn(cls); }

  function render() {
    body.innerHTML = "";
    if (state.staff && state.review) { renderViews(); }
    if (view === "review" && state.staff && state.review) { review.render(body); return; }
    renderSummary();
    renderAdd();
    renderEntries();
    renderProgress();
    renderPlan();
    renderAudit();
  }

  render();
  if (state.stale) {
    call("state", reviewQuery).then(function (reply) { state = reply; render(); }, function () { /* shown as saved */ });
  }
}
