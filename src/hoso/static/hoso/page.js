// Small page behaviours without inline handlers (the CSP forbids inline script, issue 8):
//   <button data-print>            prints the page;
//   <select data-autosubmit>       submits its form when the choice changes.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) window.print();
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("select[data-autosubmit]") && field.form) field.form.submit();
  });
})();
