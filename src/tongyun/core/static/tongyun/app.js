// Small page behaviours as data attributes instead of inline handlers (the Content-Security-Policy refuses
// inline script): data-print prints the page, data-autosubmit submits its form when changed.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]") && event.target.form) event.target.form.submit();
});
// data-back: go back in the browser's history when there is one (the link's own target otherwise).
document.addEventListener("click", function (event) {
  var link = event.target.closest("[data-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// The menu's groups (details.dropdown[data-nav-group]): one open at a time, closed by Escape (focus back on its
// name) or by a click elsewhere. On a phone every group stays open: its name is a heading over its links.
(function () {
  var phone = window.matchMedia("(max-width: 768px)");
  function groups() { return document.querySelectorAll("details[data-nav-group]"); }
  function layout() {
    groups().forEach(function (group) { group.open = phone.matches; });
  }
  document.addEventListener("DOMContentLoaded", layout);
  phone.addEventListener("change", layout);
  document.addEventListener("click", function (event) {
    var summary = event.target.closest("details[data-nav-group] > summary");
    if (summary && phone.matches) {
      event.preventDefault();  // a heading on a phone, not a toggle
      return;
    }
    var inside = event.target.closest("details[data-nav-group]");
    if (phone.matches) return;
    groups().forEach(function (group) { if (group !== inside) group.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || phone.matches) return;
    var open = event.target.closest && event.target.closest("details[data-nav-group][open]");
    groups().forEach(function (group) { group.open = false; });
    if (open) open.querySelector("summary").focus();
  });
})();
