/* 大屏: draw the charts from the data embedded in the page, then poll the JSON every data-refresh seconds
   and update the figures, the tables and the charts in place (no reload). */
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.url;
  var refresh = Math.max(2, parseInt(body.dataset.refresh || "15", 10)) * 1000;
  var t = JSON.parse(document.getElementById("wall-i18n").textContent);
  var SEVERITY_COLORS = { urgent: "#ff3b3b", serious: "#ff8a3d", general: "#ffd43b", minor: "#6cc4ff", other: "#9aa7b8" };
  var charts = {};

  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? o : o[k]; }, obj);
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function rate(v) { return v == null ? "—" : v + "%"; }

  function categoryOption(data) {
    var rows = data.categories.slice().reverse();
    return {
      animation: false, backgroundColor: "transparent",
      textStyle: { fontSize: 16, color: "#c9d6e3" },
      grid: { left: 10, right: 70, top: 10, bottom: 10, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%", color: "#9fb3c8", fontSize: 14 },
               splitLine: { lineStyle: { color: "#1f3a5f" } } },
      yAxis: { type: "category", data: rows.map(function (c) { return c.label; }),
               axisLabel: { color: "#e6edf7", fontSize: 18 } },
      series: [{ type: "bar", name: t.rate, barMaxWidth: 28,
        data: rows.map(function (c) {
          var v = c.online_rate;
          return { value: v == null ? 0 : v, itemStyle: { color: v == null ? "#3a4a60" : v >= 95 ? "#37d67a" : v >= 80 ? "#ffb020" : "#ff5c5c" } };
        }),
        label: { show: true, position: "right", color: "#e6edf7", fontSize: 18,
          formatter: function (p) { var c = rows[p.dataIndex]; return c.online_rate == null ? t.noData : c.online_rate + "% (" + c.up + "/" + (c.up + c.down + c.degraded) + ")"; } } }]
    };
  }

  function severityOption(data) {
    var rows = data.incidents.by_severity.filter(function (s) { return s.count > 0; });
    return {
      animation: false, backgroundColor: "transparent",
      tooltip: { trigger: "item" },
      title: rows.length ? undefined : { text: t.noData, left: "center", top: "middle", textStyle: { color: "#5b7390", fontSize: 22 } },
      series: [{ type: "pie", showEmptyCircle: false, radius: ["45%", "72%"], center: ["50%", "52%"], name: t.count,
        label: { color: "#e6edf7", fontSize: 18, formatter: "{b}\n{c}" },
        data: rows.map(function (s) { return { name: s.label, value: s.count, itemStyle: { color: SEVERITY_COLORS[s.key] || "#9aa7b8" } }; }) }]
    };
  }

  function drawCharts(data) {
    if (!window.echarts) return;
    if (!charts.categories) {
      charts.categories = echarts.init(document.getElementById("chart-categories"), null, { renderer: "canvas" });
      charts.severity = echarts.init(document.getElementById("chart-severity"), null, { renderer: "canvas" });
      window.addEventListener("resize", function () { charts.categories.resize(); charts.severity.resize(); });
    }
    charts.categories.setOption(categoryOption(data), true);
    charts.severity.setOption(severityOption(data), true);
  }

  function render(data) {
    document.querySelectorAll("[data-field]").forEach(function (el) {
      var v = get(data, el.dataset.field);
      var text = el.dataset.suffix ? rate(v) : (v == null ? "—" : String(v));
      if (el.textContent !== text) el.textContent = text;
    });
    document.getElementById("wall-units").innerHTML = data.units.length ? data.units.map(function (u) {
      return "<tr><td>" + esc(u.name) + "</td><td class=\"down\">" + u.down + "</td><td>" + u.total + "</td></tr>";
    }).join("") : "<tr><td colspan=\"3\" class=\"dim\">" + esc(t.noOffline) + "</td></tr>";
    document.getElementById("wall-categories").innerHTML = data.categories.map(function (c) {
      return "<tr><td>" + esc(c.label) + "</td><td class=\"up\">" + c.up + "</td><td class=\"down\">" + (c.down + c.degraded) +
        "</td><td>" + c.unknown + "</td><td>" + rate(c.online_rate) + "</td></tr>";
    }).join("");
    drawCharts(data);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { document.querySelector("[data-testid=wall-stale]").hidden = true; render(data); })
      .catch(function () { document.querySelector("[data-testid=wall-stale]").hidden = false; })
      .finally(function () { setTimeout(poll, refresh); });
  }

  drawCharts(JSON.parse(document.getElementById("wall-data").textContent));
  setTimeout(poll, refresh);
})();
