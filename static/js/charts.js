// Draws the charts built on the server: every <div class="spc-chart" data-figure="{...}"> on the page, and in
// content that htmx swaps in later. Kept out of the page so the Content-Security-Policy needs no inline script.
(function () {
  "use strict";

  function draw(element) {
    if (element.dataset.drawn === "true" || typeof window.Plotly === "undefined") {
      return;
    }
    var spec = JSON.parse(element.dataset.figure);
    window.Plotly.newPlot(element, spec.data, spec.layout, spec.config);
    element.dataset.drawn = "true";
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches(".spc-chart[data-figure]")) {
      draw(scope);
    }
    scope.querySelectorAll(".spc-chart[data-figure]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
