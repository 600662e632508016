/* Wide tables scroll sideways inside .table-responsive on a tablet. A region that scrolls
   must be reachable with the keyboard (WCAG 2.1.1): give each one that overflows a tab stop,
   the region role and its table's caption as name; take them away when it fits again. */
(function () {
  "use strict";

  function update(wrapper) {
    var overflows = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (overflows && !wrapper.hasAttribute("tabindex")) {
      var caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      if (caption && caption.textContent.trim()) {
        wrapper.setAttribute("aria-label", caption.textContent.trim());
      }
      wrapper.setAttribute("data-scroll-region", "");
    } else if (!overflows && wrapper.hasAttribute("data-scroll-region")) {
      ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
        wrapper.removeAttribute(name);
      });
    }
  }

  function updateAll() {
    document.querySelectorAll(".table-responsive").forEach(update);
  }

  updateAll();
  window.addEventListener("resize", updateAll);
  document.body.addEventListener("htmx:afterSettle", updateAll);
})();
