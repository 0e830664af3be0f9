// Portico's small enhancements. Every core action works without this file.
(function () {
  "use strict";
  // After a failed post, move focus to the error summary so screen readers
  // announce it and keyboard users start there.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) summary.focus();
  });

  // A file over its field's limit is refused before the form is sent: a
  // body far over the limit can't be read, and whatever was typed after
  // the file field would be lost with it.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var file = input.files && input.files[0];
    var tooBig = file && file.size > Number(input.dataset.maxBytes);
    input.setCustomValidity(tooBig ? input.dataset.tooBig : "");
    if (tooBig) input.reportValidity();
  });
})();
