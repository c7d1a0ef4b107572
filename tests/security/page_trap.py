"""A Chromium page that notices script it did not expect: the XSS trap of the security suite.

Every payload in tests/fixtures/xss_payloads.txt that runs calls alert/confirm/prompt or sets
`window.__xss`. An init script (run in every frame before any page script) replaces those
functions and defines that property so that each use is recorded in `window.__xssHits`; native
dialogs are recorded too (and dismissed). Requests that leave the preview are blocked and
recorded (a `<base>`, a meta refresh or a form aimed elsewhere would show there), and so are
uncaught script errors. `offending_markup(region)` lists what should never be in rendered
content: event-handler attributes, javascript:/vbscript:/data: URLs, scripting or navigation
elements, and CSS that loads URLs or runs expressions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

TRAP = """
(() => {
  if (window.__xssHits) { return; }
  const hits = [];
  Object.defineProperty(window, "__xssHits", {value: hits});
  for (const name of ["alert", "confirm", "prompt"]) {
    window[name] = function (...args) { hits.push(name + "(" + args.map(String).join(", ") + ")"); };
  }
  Object.defineProperty(window, "__xss", {
    configurable: false,
    get() { return hits.length ? 1 : undefined; },
    set(value) { hits.push("window.__xss = " + String(value)); },
  });
})();
"""

OFFENDING_MARKUP = """
(root) => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                                 "codebase", "lowsrc", "dynsrc", "to", "values", "from", "by"]);
  const forbiddenTags = new Set(["script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta",
                                 "link", "style", "noscript", "template", "portal"]);
  const scriptUrl = /^(javascript|vbscript|data|livescript):/;
  const describe = (el) => "<" + el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + ">";
  for (const el of root.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    const runtimeArguments = tag === "script" && el.getAttribute("type") === "json/xblock-args"
      && el.classList.contains("xblock_json_init_args");  // the workbench's own wrapper of the init data
    if (forbiddenTags.has(tag) && !runtimeArguments) { found.push("element " + describe(el)); }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const compact = attribute.value.replace(/[\\u0000-\\u0020\\u007f-\\u00a0]/g, "").toLowerCase();
      const bad = name.startsWith("on") || name === "srcdoc"
        || (urlAttributes.has(name) && scriptUrl.test(compact))
        || (name === "srcset" && compact.split(",").some((candidate) => scriptUrl.test(candidate)))
        || (name === "content" && /url=(javascript|vbscript|data):/.test(compact))
        || (name === "style" && /(url\\(|expression\\(|javascript:|@import|behavior:|-moz-binding)/.test(compact));
      if (bad) { found.push(name + '="' + attribute.value + '" on ' + describe(el)); }
    }
  }
  return found;
}
"""


@dataclass
class TrappedPage:
    """A page in its own browser context, on one preview (`base_url`), with the trap set."""

    context: object
    page: object
    base_url: str
    dialogs: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, chromium, base_url: str) -> TrappedPage:
        context = chromium.new_context(base_url=base_url)
        context.add_init_script(TRAP)
        trapped = cls(context=context, page=context.new_page(), base_url=base_url)
        context.route("**/*", trapped._only_the_preview)
        context.on("page", trapped._watch)
        trapped._watch(trapped.page)
        return trapped

    def _only_the_preview(self, route):
        if route.request.url.startswith(self.base_url + "/"):
            route.continue_()
        else:
            self.outside_requests.append(route.request.url)
            route.abort()

    def _watch(self, page) -> None:
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.script_errors.append(f"{page.url}: {error}"))
        page.on("response", lambda r: r.status >= 400 and self.failed_responses.append(f"{r.status} {r.url}"))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def new_page(self):
        """Another tab in the same context (same cookies), watched the same way."""
        return self.context.new_page()

    def trap_hits(self, page=None) -> list[str]:
        hits = []
        for frame in (page or self.page).frames:
            try:
                hits += frame.evaluate("() => Array.from(window.__xssHits || [])")
            except Exception as error:  # a frame that navigated away or is cross-origin  # noqa: BLE001
                hits.append(f"frame {frame.url} could not be read: {error}")
        return hits

    def offending_markup(self, region: str, page=None) -> list[str]:
        target = (page or self.page).locator(region)
        return [item for index in range(target.count()) for item in target.nth(index).evaluate(OFFENDING_MARKUP)]

    def problems(self, region: str, page=None, expected_path: str | None = None) -> dict:
        """Everything the trap saw, by kind (empty lists when the page is inert)."""
        page = page or self.page
        found = {"script ran": self.trap_hits(page), "dialogs": list(self.dialogs),
                 "script errors": list(self.script_errors), "requests leaving the preview": list(self.outside_requests),
                 "offending markup": self.offending_markup(region, page)}
        if expected_path is not None and not page.url.startswith(self.base_url + expected_path):
            found["navigated away"] = [page.url]
        return {kind: items for kind, items in found.items() if items}

    def assert_inert(self, region: str, page=None, expected_path: str | None = None) -> None:
        problems = self.problems(region, page=page, expected_path=expected_path)
        assert not problems, "\n".join(
            f"{kind} ({len(items)}): " + "; ".join(item[:160] for item in items[:6]) for kind, items in problems.items())

    def close(self) -> None:
        self.context.close()
