// The district overview's charts (core/overview.html): one chart per registered panel
// (tongyun.core.indicators); a click on a point opens the list that point is made of.
(function () {
  var source = document.getElementById("overview-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  document.querySelectorAll("[data-panel]").forEach(function (el) {
    var panel = data[el.dataset.panel];
    if (!panel) return;
    var unit = panel.unit || "";
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      legend: { type: "scroll", top: 0 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + unit; } },
      grid: { left: 44, right: 12, top: 36, bottom: panel.kind === "bar" ? 90 : 30, containLabel: false },
      xAxis: { type: "category", data: panel.categories,
               axisLabel: { interval: 0, rotate: panel.kind === "bar" ? 40 : 0, width: 110, overflow: "truncate" } },
      yAxis: { type: "value", min: 0, max: unit === "%" ? 100 : null },
      series: panel.series.map(function (s) {
        return { name: s.name, type: panel.kind, connectNulls: false, cursor: "pointer",
                 data: s.data.map(function (v) { return v == null ? "-" : v; }) };
      })
    });
    chart.on("click", function (params) {
      var series = panel.series[params.seriesIndex];
      if (series && series.urls[params.dataIndex]) window.location.href = series.urls[params.dataIndex];
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
