/* rpt_prereq_tracker, shared by the learner's view and the preceptor's: how one entry reads, as the
 * cells of a table row (date, category, description, supervising AU) with human-readable labels.
 * Loaded before tracker.js; all text comes translated from the server. Learner text is only ever
 * set as text (textContent), never as HTML. */
window.RptTrackerEntries = function (labels, vocab, fill) {
  "use strict";
  function labelOf(list, id) {
    var found = list.filter(function (item) { return item.id === id; })[0];
    return found ? (found.short || found.label) : id;
  }
  function hours(value) { return fill(labels.hours_short, {hours: String(value)}); }
  function joined(parts) { return parts.filter(function (p) { return p; }).join("; "); }

  /* {date, category, description, au}: the cells of one entry, as text. */
  function cells(entry) {
    var f = entry.fields || {};
    if (entry.kind === "didactic") {
      var total = Object.keys(f.hours || {}).reduce(function (sum, k) { return sum + f.hours[k]; }, 0);
      return {date: f.start + " \u2013 " + f.end, category: labels.kind_short_didactic,
              description: joined([f.provider, hours(total), f.certificate]), au: ""};
    }
    if (entry.kind === "work") {
      return {date: f.date, category: fill(labels.kind_short_work, {item: f.item}),
              description: joined([labelOf(vocab.items, f.item), hours(f.hours), fill(labels.at_site, {site: f.site}),
                                   f.description]),
              au: supervisor(f)};
    }
    if (entry.kind === "case") {
      var activity = f.activity ? f.activity.value + " " + f.activity.unit : "";
      return {date: f.date, category: labelOf(vocab.categories, f.category),
              description: joined([f.radiopharmaceutical, activity, fill(labels.reference_short, {reference: f.case_reference}),
                                   f.notes]),
              au: supervisor(f)};
    }
    return {date: f.date, category: labels.kind_short_declaration,
            description: joined([labelOf(vocab.declarations, f.requirement), f.reference]), au: ""};
  }
  function supervisor(f) {
    return f.preceptor ? f.supervising_au + " (" + fill(labels.username_short, {username: f.preceptor}) + ")" : f.supervising_au;
  }
  /* One line for a list (the preceptor's queue): "e2 — Clinical case, 2026-10-01: ...". */
  function line(entry) {
    var c = cells(entry);
    var kind = (vocab.kinds.filter(function (k) { return k.id === entry.kind; })[0] || {}).label || entry.kind;
    return entry.id + " \u2014 " + kind + ", " + c.date + ": " + joined([c.category, c.description, c.au]);
  }
  return {cells: cells, line: line};
};
