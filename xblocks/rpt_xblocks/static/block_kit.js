/* Shared by the rpt blocks' browser code: DOM building, template filling, handler calls with the
 * CSRF token, and announcements through an aria-live region. Defining it twice is harmless. */
window.RptBlockKit = function (runtime, element, statusRegion) {
  "use strict";
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return values[key] !== undefined ? values[key] : m; });
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  /* Math in server HTML a block inserts is typeset by the page's MathJax once the block's code has
   * put the nodes in the page (one pass per turn of the event loop, for the nodes still attached). */
  var waiting = [];
  function typesetLater(node) {
    if (waiting.push(node) > 1) { return; }
    window.setTimeout(function () {
      var nodes = waiting.filter(function (n) { return n.isConnected; });
      waiting = [];
      nodes.forEach(function (n) { window.RptBlockKit.typeset(n); });
    }, 0);
  }
  /* Only for HTML the server sanitized: `markup` put in a new `tag` element, its math typeset. */
  function html(tag, attrs, markup) { var node = el(tag, attrs); node.innerHTML = markup; typesetLater(node); return node; }
  /* Only for HTML the server sanitized: `markup` put into the existing `node`, its math typeset. */
  function setHtml(node, markup) { node.innerHTML = markup; typesetLater(node); return node; }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  /* POST JSON to a handler; rejects with an Error whose `reply` is the server's JSON. */
  function call(handler, data) {
    return fetch(runtime.handlerUrl(element, handler), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(), "X-Requested-With": "XMLHttpRequest"},
      body: JSON.stringify(data || {})
    }).then(function (response) {
      return response.json().catch(function () { return {error: response.statusText}; }).then(function (reply) {
        if (!response.ok) { var error = new Error(reply.error || response.statusText); error.reply = reply; throw error; }
        return reply;
      });
    });
  }
  function announce(text) {
    statusRegion.textContent = "";
    window.setTimeout(function () { statusRegion.textContent = text; }, 50);
  }
  return {fill: fill, el: el, html: html, setHtml: setHtml, call: call, announce: announce,
          uid: "rpt-" + Math.random().toString(36).slice(2, 9)};
};

/* A block's initial data, sent as script-safe JSON text (learner_block.script_safe_json). */
window.RptBlockKit.unpack = function (init) {
  "use strict";
  return init && typeof init.rpt === "string" ? JSON.parse(init.rpt) : init;
};

/* Typeset the math in `node` (an element a block just filled) with the page's MathJax: version 3
 * (the preview) or version 2 (the LMS); a no-op without MathJax. Always returns a Promise. */
window.RptBlockKit.typeset = function (node) {
  "use strict";
  var mathjax = window.MathJax;
  if (!node || !mathjax) { return Promise.resolve(); }
  if (typeof mathjax.typesetPromise === "function") {
    var ready = mathjax.startup && mathjax.startup.promise ? mathjax.startup.promise : Promise.resolve();
    return ready.then(function () { return mathjax.typesetPromise([node]); }).catch(function () {});
  }
  if (mathjax.Hub && typeof mathjax.Hub.Queue === "function") {
    return new Promise(function (resolve) { mathjax.Hub.Queue(["Typeset", mathjax.Hub, node], resolve); });
  }
  return Promise.resolve();
};
