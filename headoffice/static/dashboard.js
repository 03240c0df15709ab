// Draws the dashboard's charts with the vendored ECharts. The page passes what to draw as JSON
// in <script type="application/json" id="dash-charts"> (no inline script: CSP script-src 'self'); canvas
// drawing and plain-text tooltips, so nothing needs an inline style attribute either.
(function () {
  "use strict";
  var holder = document.getElementById("dash-charts");
  if (!holder || typeof echarts === "undefined") { return; }
  var specs = JSON.parse(holder.textContent || "[]");
  var yuan = function (v) { return "¥" + Number(v).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); };
  var charts = [];
  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (!el) { return; }
    var option;
    if (spec.type === "pie") {
      option = {
        tooltip: { trigger: "item", valueFormatter: yuan, renderMode: "richText" },
        legend: { bottom: 0 },
        series: spec.series.map(function (s) { return { name: s.name, type: "pie", radius: ["35%", "65%"], data: s.data }; })
      };
    } else {
      var horizontal = spec.type === "hbar";
      var catAxis = { type: "category", data: spec.categories, axisLabel: { hideOverlap: true } };
      var valAxis = { type: "value", axisLabel: { formatter: function (v) { return Number(v).toLocaleString("zh-CN"); } } };
      option = {
        tooltip: { trigger: "axis", valueFormatter: yuan, renderMode: "richText" },
        legend: spec.series.length > 1 ? { top: 0 } : undefined,
        grid: { left: horizontal ? 160 : 60, right: 20, top: spec.series.length > 1 ? 40 : 20, bottom: 40 },
        xAxis: horizontal ? valAxis : catAxis,
        yAxis: horizontal ? catAxis : valAxis,
        series: spec.series.map(function (s) {
          return { name: s.name, type: "bar", stack: spec.type === "stacked" ? "total" : undefined, data: s.data };
        })
      };
    }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.setAttribute("data-drawn", "1");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
