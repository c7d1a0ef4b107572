/* rpt_quiz, staff only: the item analysis, with question and option texts, and its CSV download.
 * RptQuizStaff(kit, labels, csvUrl) returns the section to append; every string comes translated
 * from the server (labels, the reply's submissions_text). */
window.RptQuizStaff = function (kit, labels, csvUrl) {
  "use strict";
  var el = kit.el;
  var section = el("section", {"class": "rpt-quiz-staff", "aria-label": labels.analysis});
  var area = el("div", {"class": "rpt-quiz-analysis"});
  var show = el("button", {type: "button", "class": "rpt-quiz-analysis-button"}, labels.analysis);
  var download = el("a", {href: csvUrl, "class": "rpt-quiz-analysis-csv", download: "item-analysis.csv"}, labels.analysis_csv);
  show.addEventListener("click", function () {
    kit.call("item_analysis", {}).then(function (reply) {
      area.innerHTML = "";
      area.appendChild(el("p", {}, reply.submissions_text));
      var table = el("table", {"class": "rpt-quiz-analysis-table"});
      table.appendChild(el("caption", {}, labels.analysis));
      var head = el("tr");
      ["analysis_question", "analysis_responses", "analysis_correct", "analysis_discrimination", "analysis_distribution"]
        .forEach(function (key) { head.appendChild(el("th", {scope: "col"}, labels[key])); });
      table.appendChild(head);
      reply.questions.forEach(function (q) {
        var row = el("tr");
        row.appendChild(el("th", {scope: "row"}, q.prompt));
        row.appendChild(el("td", {}, String(q.responses)));
        row.appendChild(el("td", {}, q.percent_correct === null ? "\u2013" : q.percent_correct + "%"));
        row.appendChild(el("td", {}, q.discrimination === null ? "\u2013" : String(q.discrimination)));
        var options = el("td");
        if (q.options.length) {
          var list = el("ul", {"class": "rpt-quiz-analysis-options"});
          q.options.forEach(function (o) { list.appendChild(el("li", {}, o.text + ": " + o.count)); });
          options.appendChild(list);
        } else { options.textContent = "\u2013"; }
        row.appendChild(options);
        table.appendChild(row);
      });
      /* A wide table scrolls inside its own focusable region, so the page itself never scrolls sideways (WCAG 1.4.10). */
      var scroller = el("div", {"class": "rpt-quiz-analysis-scroll", tabindex: "0", role: "region", "aria-label": labels.analysis});
      scroller.appendChild(table);
      area.appendChild(scroller);
    }).catch(function (e) { kit.announce(e.message); });
  });
  section.appendChild(show);
  section.appendChild(download);
  section.appendChild(area);
  return section;
};
