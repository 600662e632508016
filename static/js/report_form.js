// Report form: add and remove activity rows without a round trip to the server.
// Without JavaScript the "Activiteit toevoegen" button posts the form and the server adds
// the row; nothing typed is lost either way. The live traffic lights use htmx attributes
// set by the server on the indicator inputs, not this file.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var template = document.getElementById("activity-template");
  if (!form || !template) { return; }
  var total = form.querySelector("input[name='act-TOTAL_FORMS']");
  var container = document.getElementById("activities");
  form.querySelectorAll("[data-add-activity]").forEach(function (button) {
    // With JavaScript the button no longer submits: Enter in a one-line field then saves the
    // draft (the form's next submit button) instead of adding a row.
    button.type = "button";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var placeholder = document.getElementById("no-activities");
      if (placeholder) { placeholder.remove(); }
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var rows = container.querySelectorAll(".activity-row");
      // Focus the new row's first field (the year), so keyboard users continue in order.
      var field = rows[rows.length - 1].querySelector("input:not([type=hidden]), textarea");
      if (field) { field.focus(); }
    });
  });
})();

// Choosing oranje or rood opens the folded cause, consequences and recovery: they are
// required then, and a keyboard user reaches them with Tab right after the light.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var texts = form && form.querySelector("[data-light-texts]");
  if (!texts) { return; }
  form.querySelectorAll("input[name='reported_light']").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked && (radio.value === "amber" || radio.value === "red")) {
        texts.open = true;
      }
    });
  });
})();
