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
