/* Draw the dashboard charts with our own plotly.js (no network). Each chart container has
   data-chart="<id of a <script type="application/json"> with the figure>". Without
   JavaScript, or if plotly.js fails to load, the table next to each chart stays the chart. */
(function () {
  "use strict";

  function draw(container) {
    var source = document.getElementById(container.getAttribute("data-chart"));
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(container, figure.data, figure.layout, {
      responsive: true,
      displayModeBar: false,
      displaylogo: false
    });
    container.classList.add("chart-drawn");
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < containers.length; i++) {
      draw(containers[i]);
    }
  }

  /* Print: open every chart table so the paper shows the figures too. */
  window.addEventListener("beforeprint", function () {
    var tables = document.querySelectorAll("details.chart-table");
    for (var i = 0; i < tables.length; i++) {
      tables[i].setAttribute("open", "");
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
