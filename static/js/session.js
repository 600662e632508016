/* Idle timeout (monitor.middleware.SessionTimeoutMiddleware): two minutes before the server
   signs a quiet session out, show a warning with "Blijf aangemeld"; the button asks the
   server to start the clock again. When the time is up, ask the server how much is left
   (another tab may have kept the session alive) and reload when nothing is: the server then
   shows the sign-in page with its message. No inline script (CSP). */
(function () {
  "use strict";
  var body = document.body;
  var timeout = parseInt(body.getAttribute("data-session-timeout"), 10);
  var url = body.getAttribute("data-session-url");
  var warning = document.getElementById("session-warning");
  if (!timeout || !url || !warning) { return; }
  var WARN_BEFORE = 120;
  var timers = [];

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function clear() {
    timers.forEach(window.clearTimeout);
    timers = [];
  }

  function schedule(secondsLeft) {
    clear();
    warning.hidden = true;
    timers.push(window.setTimeout(warn, Math.max(0, secondsLeft - WARN_BEFORE) * 1000));
    timers.push(window.setTimeout(check, secondsLeft * 1000 + 1000));
  }

  function warn() {
    warning.hidden = false;
    var button = warning.querySelector("[data-session-extend]");
    if (button) { button.focus(); }
  }

  function answer(response) {
    if (!response.ok) { throw new Error("session"); }
    return response.json();
  }

  function check() {
    window.fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(answer)
      .then(function (data) {
        if (data.seconds_left > 0) { schedule(data.seconds_left); } else { window.location.reload(); }
      })
      .catch(function () { window.location.reload(); });
  }

  function extend() {
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    })
      .then(answer)
      .then(function (data) { schedule(data.seconds_left); })
      .catch(function () { window.location.reload(); });
  }

  warning.addEventListener("click", function (event) {
    if (event.target.closest("[data-session-extend]")) { extend(); }
  });
  /* An htmx request is activity too: the server restarted its clock. */
  body.addEventListener("htmx:afterRequest", function () { schedule(timeout); });
  schedule(timeout);
})();
