// Carried-over sections of the report form ("overgenomen van peildatum …", see
// templates/reporting/partials/carried_over.html):
// - the "Alles ongewijzigd bevestigen" button in the overview at the top submits the form
//   through the same button in the bar at the bottom (action=confirm_all); without
//   JavaScript only that bottom button exists, so Enter in a field never confirms anything;
// - once the user changes a field of a carried-over section, its notice says that the
//   content now counts as theirs when saved (the server decides the same on save).
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var bottom = document.getElementById("confirm-all");
  form.querySelectorAll("[data-confirm-all]").forEach(function (button) {
    if (!bottom) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (form.requestSubmit) { form.requestSubmit(bottom); } else { bottom.click(); }
    });
  });
  var edited = form.getAttribute("data-carried-edited") || "";
  form.querySelectorAll("section[data-carried]").forEach(function (section) {
    var key = section.getAttribute("data-carried");
    section.addEventListener("input", function (event) {
      var target = event.target;
      if (!target || target.type === "checkbox" && /^confirm_/.test(target.name)) { return; }
      var status = form.querySelector("[data-carried-status='" + key + "']");
      if (status && edited) { status.textContent = edited; }
    });
  });
})();
