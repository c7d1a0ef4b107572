/* Studio editor of our blocks: posts the form to `studio_submit`; an invalid one is refused by the server
 * with every reason, listed here, and nothing is saved. */
function RptStudioForm(runtime, element) {
  "use strict";
  var form = element.querySelector(".rpt-studio");
  var problems = form.querySelector(".rpt-studio-problems");
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function collect() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (control) {
      if (!control.name) { return; }
      if (control.type === "checkbox") { data[control.name] = control.checked; }
      else if (control.type === "number") { data[control.name] = Number(control.value); }
      else { data[control.name] = control.value; }
    });
    return data;
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    problems.innerHTML = "";
    if (runtime.notify) { runtime.notify("save", {state: "start"}); }
    fetch(runtime.handlerUrl(element, "studio_submit"), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(collect())
    }).then(function (response) {
      return response.json().then(function (reply) {
        if (response.ok) { if (runtime.notify) { runtime.notify("save", {state: "end"}); } return; }
        var heading = document.createElement("p");
        heading.textContent = reply.error;
        problems.appendChild(heading);
        var list = document.createElement("ul");
        (reply.problems || []).forEach(function (text) {
          var item = document.createElement("li"); item.textContent = text; list.appendChild(item);
        });
        problems.appendChild(list);
        if (runtime.notify) { runtime.notify("error", {title: reply.error, message: (reply.problems || []).join(" ")}); }
      });
    });
  });
  form.querySelector(".rpt-studio-cancel").addEventListener("click", function () {
    if (runtime.notify) { runtime.notify("cancel", {}); }
  });
}
