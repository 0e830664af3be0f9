// Copy buttons for read-only links (the job page's portal link): a
// progressive enhancement. Without it the button stays hidden and the
// field can be selected and copied by hand.
(function () {
  "use strict";

  function bind(root) {
    var buttons = root.querySelectorAll("button[data-copy]");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      if (b.getAttribute("data-copy-bound")) continue;
      b.setAttribute("data-copy-bound", "1");
      if (!navigator.clipboard && !document.queryCommandSupported) continue;
      b.hidden = false;
      b.addEventListener("click", copy);
    }
  }

  function copy(ev) {
    var id = ev.currentTarget.getAttribute("data-copy");
    var input = document.getElementById(id);
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (!input) return;
    var done = function () { if (status) status.textContent = "Copied."; };
    var fallback = function () {
      input.focus();
      input.select();
      try {
        if (document.execCommand("copy")) { done(); return; }
      } catch (e) { /* fall through */ }
      if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("DOMContentLoaded", function () { bind(document); });
  document.addEventListener("portico:live-updated", function () { bind(document); });
  // Selecting the whole link when the field gets focus saves a step.
  document.addEventListener("focusin", function (ev) {
    var t = ev.target;
    if (t && t.id === "portal-link" && t.select) t.select();
  });
})();
