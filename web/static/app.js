// Portico's small enhancements. Every core action works without this file.
(function () {
  "use strict";
  // After a failed post, move focus to the error summary so screen readers
  // announce it and keyboard users start there.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) summary.focus();
  });
})();
