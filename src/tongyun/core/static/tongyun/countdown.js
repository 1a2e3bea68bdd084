/* tongyun countdowns: every element with data-due="ISO moment" shows the time left ("剩余 1 小时 05 分")
   or overdue ("已超时 12 分 30 秒"), updated every second. data-risk="ISO" marks the moment the clock
   turns at risk. Classes: running / at-risk / breached. The texts come from #countdown-i18n (translated
   by the server); elements added later (HTMX swaps) are picked up on the next tick. No dependencies. */
(function () {
  "use strict";
  var fallback = { left: "剩余 %(t)s", over: "已超时 %(t)s", dh: "%(d)s 天 %(h)s 小时",
                   hm: "%(h)s 小时 %(m)s 分", ms: "%(m)s 分 %(s)s 秒" };
  var texts = null;

  function label(key) {
    if (!texts) {
      var el = document.getElementById("countdown-i18n");
      texts = {};
      for (var k in fallback) { texts[k] = (el && el.dataset[k]) || fallback[k]; }
    }
    return texts[key];
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function pad(n) { return n < 10 ? "0" + n : String(n); }

  function span(seconds) {
    seconds = Math.abs(seconds);
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600),
        m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    if (d) return fill(label("dh"), { d: d, h: h });
    if (h) return fill(label("hm"), { h: h, m: pad(m) });
    return fill(label("ms"), { m: m, s: pad(s) });
  }

  function update(el, now) {
    var due = Date.parse(el.dataset.due);
    if (isNaN(due)) return;
    var left = Math.floor((due - now) / 1000);
    var risk = el.dataset.risk ? Date.parse(el.dataset.risk) : NaN;
    var state = left < 0 ? "breached" : (!isNaN(risk) && now >= risk ? "at-risk" : "running");
    var text = fill(label(left < 0 ? "over" : "left"), { t: span(left) });
    if (el.textContent !== text) el.textContent = text;
    el.classList.toggle("running", state === "running");
    el.classList.toggle("at-risk", state === "at-risk");
    el.classList.toggle("breached", state === "breached");
    el.dataset.state = state;
  }

  function tick() {
    var now = Date.now();
    var all = document.querySelectorAll("[data-due]");
    for (var i = 0; i < all.length; i++) update(all[i], now);
  }

  window.tongyunCountdown = { tick: tick, span: span };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", tick);
  else tick();
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSwap", tick);
})();
