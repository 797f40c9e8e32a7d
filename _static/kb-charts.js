/* Charts: a static drawing is always there (it works without JavaScript and prints). When a
   reader points at, touches or focuses a chart, the Vega bundle is loaded once and the chart
   is redrawn at the width it has, with tooltips, and follows the width when it changes. */
(function () {
  var here = document.currentScript && document.currentScript.src;
  var bundleUrl = here ? new URL("vendor/vega-bundle.js", here).href : null;
  var loading = null;

  function loadBundle() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundleUrl;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function goLive(chart) {
    if (chart.getAttribute("data-live")) return;
    chart.setAttribute("data-live", "loading");
    var spec = JSON.parse(chart.querySelector("script.kb-spec").textContent);
    var target = chart.querySelector(".kb-live");
    spec.width = chart.querySelector(".kb-chart-canvas").clientWidth; /* the width it has now */
    loadBundle()
      .then(function () {
        return window.vegaEmbed(target, spec, { mode: "vega-lite", actions: false, renderer: "svg" });
      })
      .then(function (result) {
        /* The chart's box carries its name and description; the drawing itself is hidden. */
        target.querySelectorAll("svg").forEach(function (svg) {
          svg.setAttribute("aria-hidden", "true");
          svg.setAttribute("focusable", "false");
        });
        followWidth(chart.querySelector(".kb-chart-canvas"), result.view);
        chart.setAttribute("data-live", "yes");
      })
      .catch(function () {
        chart.setAttribute("data-live", "failed"); /* the static drawing stays */
      });
  }

  /* A live chart is redrawn at its new width when the window is resized or turned. */
  function followWidth(canvas, view) {
    if (!window.ResizeObserver) return;
    var drawn = canvas.clientWidth;
    new ResizeObserver(function () {
      var width = canvas.clientWidth;
      if (width > 0 && width !== drawn) {
        drawn = width;
        view.width(width).runAsync();
      }
    }).observe(canvas);
  }

  /* Printed pages show every breakdown: there is nothing to click on paper. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.kb-breakdown").forEach(function (d) { d.open = true; });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".kb-chart").forEach(function (chart) {
      ["pointerenter", "touchstart", "focusin"].forEach(function (event) {
        chart.addEventListener(event, function () { goLive(chart); }, { passive: true });
      });
    });
  });
})();
