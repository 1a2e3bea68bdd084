// The pages' ECharts charts, kept out of the pages so the Content-Security-Policy can refuse inline script.
// Each page holds an element with the chart's id and its data in a json_script element; the page loads
// ECharts, then this file, which draws the charts present.
(function () {
  var charts = {};
  charts["category-chart"] = function () {
    var el = document.getElementById("category-chart");
    if (!el || !window.echarts) return;
    var data = JSON.parse(document.getElementById("category-data").textContent).filter(function (d) { return d.value > 0; });
    var chart = echarts.init(el);
    chart.setOption({ tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "65%"], data: data,
      label: { formatter: "{b}: {c}" } }] });
    window.addEventListener("resize", function () { chart.resize(); });
  };

  charts["compliance-chart"] = function () {
    var el = document.getElementById("compliance-chart");
    if (!el || !window.echarts) return;
    var data = JSON.parse(document.getElementById("compliance-data").textContent);
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 50, right: 20, top: 20, bottom: 90 },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 6 ? 35 : 0, width: 140, overflow: "truncate" } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ type: "bar", data: data.values.map(function (v) { return v == null ? "-" : v; }),
        label: { show: true, position: "top", formatter: "{c}%" },
        itemStyle: { color: function (p) { return p.value >= 95 ? "#2f9e44" : (p.value >= 80 ? "#f59f00" : "#c92a2a"); } } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    window.addEventListener("beforeprint", function () { chart.resize(); });
  };

  charts["availability-chart"] = function () {
    var el = document.getElementById("availability-chart");
    if (!el || !window.echarts) return;
    var data = JSON.parse(document.getElementById("availability-data").textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis"}, grid: {left: 48, right: 16, bottom: 120},
      xAxis: {type: "category", data: data.labels, axisLabel: {rotate: 45, interval: 0, fontSize: 10}},
      yAxis: {type: "value", min: function (v) { return Math.max(0, Math.floor(v.min - 1)); }, max: 100},
      series: [{type: "bar", data: data.values},
               {type: "scatter", symbol: "rect", symbolSize: [14, 2], data: data.targets}]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  };

  Object.keys(charts).forEach(function (id) {
    if (document.getElementById(id)) charts[id]();
  });
})();
