// The error summary of a refused form (templates/reporting/partials/error_summary.html):
// the focus goes to the summary when the page loads, so that a screen reader reads it and
// a keyboard user starts there; each link puts the focus on its field, opening a folded
// section (<details>) first and scrolling so that the field's label is in view too.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.querySelectorAll("[data-error-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("data-error-link"));
      if (!field) { return; }
      event.preventDefault();
      var folded = field.closest("details");
      while (folded) {
        folded.open = true;
        folded = folded.parentElement ? folded.parentElement.closest("details") : null;
      }
      var label = document.querySelector("label[for='" + field.id + "']");
      var context = field.closest("fieldset, tr, .mb-3") || label || field;
      context.scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  });
})();
