// A copy of the report form in this browser, so that nothing typed is lost when the server
// cannot read a save (too large, too many fields), the session has expired or the
// connection broke. Kept in localStorage per report and version of the report
// ("rapportage-<pk>-v<version>"); a successful save raises the version, and the next page
// of the report (form or report page) removes the copies of earlier versions. When a copy
// of this version differs from what is in the boxes, the form offers to put it back; the
// words are in the template (#restore-offer), this file has no text of its own.
(function () {
  "use strict";
  var PREFIX_SEPARATOR = "-v";
  var storage;
  try { storage = window.localStorage; } catch (error) { return; }
  if (!storage) { return; }

  function forget(prefix, below) {
    for (var i = storage.length - 1; i >= 0; i -= 1) {
      var key = storage.key(i);
      if (key && key.indexOf(prefix + PREFIX_SEPARATOR) === 0) {
        var version = parseInt(key.slice(prefix.length + PREFIX_SEPARATOR.length), 10);
        if (below === null || version < below) { storage.removeItem(key); }
      }
    }
  }

  // The report page after a save or a submit: earlier versions are stored on the server.
  document.querySelectorAll("[data-report-storage-clear]").forEach(function (marker) {
    forget(marker.getAttribute("data-storage-key"),
      parseInt(marker.getAttribute("data-version"), 10) || 0);
  });

  var form = document.querySelector("form[data-storage-key]");
  if (!form) { return; }
  var prefix = form.getAttribute("data-storage-key");
  var versionInput = form.querySelector("input[name='version']");
  var version = versionInput ? parseInt(versionInput.value, 10) || 0 : 0;
  var key = prefix + PREFIX_SEPARATOR + version;
  var SKIP = { csrfmiddlewaretoken: true, version: true, action: true };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && !SKIP[element.name] && element.type !== "submit" &&
        element.type !== "button";
    });
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (element) {
      if (element.type === "radio") {
        if (element.checked) { values[element.name] = element.value; }
        else if (!(element.name in values)) { values[element.name] = ""; }
      } else if (element.type === "checkbox") {
        values[element.name] = element.checked ? "on" : "";
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function differs(stored, current) {
    return Object.keys(stored).some(function (name) {
      return name in current ? stored[name] !== current[name] : stored[name] !== "";
    });
  }

  var offer = document.getElementById("restore-offer");
  var pending = null;
  function save() {
    pending = null;
    try {
      storage.setItem(key, JSON.stringify({ saved: new Date().toISOString(), fields: snapshot() }));
    } catch (error) { /* storage full or refused: the form works as before */ }
  }
  function later() {
    if (offer && !offer.hidden) { return; }  // keep the copy until the user chose
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(save, 300);
  }

  function restore(values) {
    var total = form.querySelector("input[name='act-TOTAL_FORMS']");
    var add = form.querySelector("[data-add-activity]");
    var wanted = parseInt(values["act-TOTAL_FORMS"], 10) || 0;
    while (total && add && (parseInt(total.value, 10) || 0) < wanted) {
      add.click();
    }
    Object.keys(values).forEach(function (name) {
      if (name === "act-TOTAL_FORMS") { return; }
      form.querySelectorAll("[name='" + name + "']").forEach(function (element) {
        if (element.type === "radio") {
          element.checked = element.value === values[name];
        } else if (element.type === "checkbox") {
          element.checked = values[name] === "on";
        } else if (element.value !== values[name]) {
          element.value = values[name];
          element.dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
    });
  }

  forget(prefix, version);
  var raw = storage.getItem(key);
  var stored = null;
  try { stored = raw ? JSON.parse(raw) : null; } catch (error) { stored = null; }
  if (stored && stored.fields && offer && differs(stored.fields, snapshot())) {
    var when = offer.querySelector("[data-restore-time]");
    if (when && stored.saved) {
      when.textContent = new Date(stored.saved).toLocaleString(document.documentElement.lang || "nl");
    }
    offer.hidden = false;
    offer.focus();
    offer.querySelector("[data-restore]").addEventListener("click", function () {
      restore(stored.fields);
      offer.hidden = true;
      save();
      var first = form.querySelector("input:not([type=hidden]), textarea");
      if (first) { first.focus(); }
    });
    offer.querySelector("[data-restore-discard]").addEventListener("click", function () {
      storage.removeItem(key);
      offer.hidden = true;
      form.focus();
    });
  } else {
    save();
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", save);
})();
