// Live updates for console pages: a progressive enhancement. Without it
// every page still works; a reload shows what changed.
//
// A page marks the parts that show records with data-live="job:7 ..." (the
// topics they show) and an id. When the server says one of those topics
// changed, the page is fetched again in the background and each marked
// part is replaced by its new version (not while focus is inside it: that
// waits until focus leaves). Parts marked data-live-unread are refreshed
// when the unread alert count changes. The navigation's [data-unread]
// badge shows the count. Scripts that bind to refreshed parts (the board)
// listen for "portico:live-updated" on document.
(function () {
  "use strict";

  var TOPIC = /^(job|candidate|client|application|task|user):[1-9][0-9]{0,17}$/;
  var MAX_TOPICS = 20;
  var DEBOUNCE_MS = 300;

  function pageTopics() {
    var seen = {};
    var out = [];
    var els = document.querySelectorAll("[data-live]");
    for (var i = 0; i < els.length; i++) {
      var parts = (els[i].getAttribute("data-live") || "").split(/\s+/);
      for (var j = 0; j < parts.length; j++) {
        var t = parts[j];
        if (TOPIC.test(t) && !seen[t] && out.length < MAX_TOPICS) {
          seen[t] = true;
          out.push(t);
        }
      }
    }
    return out;
  }

  // Replacing parts of the page.
  var wanted = {};     // selector -> true: what the next refresh replaces
  var timer = null;
  var inFlight = false;
  var again = false;

  function schedule(selector) {
    wanted[selector] = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  function refresh() {
    timer = null;
    if (document.hidden) return; // done when the tab is shown again
    if (inFlight) { again = true; return; }
    var selectors = Object.keys(wanted);
    if (!selectors.length) return;
    wanted = {};
    inFlight = true;
    fetch(location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        var type = res.headers.get("Content-Type") || "";
        // Signed out, or the page is gone: leave it as it is.
        if (!res.ok || res.redirected || type.indexOf("text/html") !== 0) return null;
        return res.text();
      })
      .then(function (html) {
        if (html) apply(new DOMParser().parseFromString(html, "text/html"), selectors);
      })
      .catch(function () { /* offline for a moment: the next change retries */ })
      .then(function () {
        inFlight = false;
        if (again) { again = false; refresh(); }
      });
  }

  function apply(doc, selectors) {
    var updated = [];
    var els = document.querySelectorAll(selectors.join(","));
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (!el.id) continue;
      var fresh = doc.getElementById(el.id);
      if (!fresh) continue;
      if (el.contains(document.activeElement) && document.activeElement !== document.body) {
        whenFocusLeaves(el, fresh.innerHTML);
        continue;
      }
      if (el.innerHTML !== fresh.innerHTML) {
        el.innerHTML = fresh.innerHTML;
        updated.push(el.id);
      }
    }
    // The badge too, in case a count arrived before the page did.
    var badge = doc.querySelector("[data-unread]");
    if (badge) setUnread(parseInt(badge.textContent, 10) || 0);
    if (updated.length) announce(updated);
  }

  var waiting = {}; // id -> latest content held back while focus is inside
  function whenFocusLeaves(el, html) {
    var first = !(el.id in waiting);
    waiting[el.id] = html;
    if (!first) return;
    el.addEventListener("focusout", function onOut() {
      // Focus may be moving to another control inside the same part.
      setTimeout(function () {
        if (el.contains(document.activeElement)) return;
        el.removeEventListener("focusout", onOut);
        var latest = waiting[el.id];
        delete waiting[el.id];
        if (el.innerHTML !== latest) {
          el.innerHTML = latest;
          announce([el.id]);
        }
      }, 0);
    });
  }

  function announce(ids) {
    document.dispatchEvent(new CustomEvent("portico:live-updated", { detail: { ids: ids } }));
  }

  // The unread badge in the navigation: "3" and a hidden " unread" for
  // screen readers.
  var unread = null;
  function setUnread(n) {
    var badge = document.querySelector("[data-unread]");
    if (!badge) return false;
    var changed = unread !== null && unread !== n;
    unread = n;
    var text = badge.firstChild;
    if (text && text.nodeType === Node.TEXT_NODE) {
      text.nodeValue = String(n);
    } else {
      badge.insertBefore(document.createTextNode(String(n)), badge.firstChild);
    }
    badge.hidden = n === 0;
    return changed;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var badge = document.querySelector("[data-unread]");
    // Only signed-in console pages have the badge; the rest stay still.
    if (!badge || !window.EventSource || !window.fetch || !window.DOMParser) return;
    unread = parseInt(badge.textContent, 10) || 0;

    var topics = pageTopics();
    var url = "/live";
    if (topics.length) {
      url += "?" + topics.map(function (t) { return "topic=" + encodeURIComponent(t); }).join("&");
    }
    var source = new EventSource(url);
    source.addEventListener("change", function () {
      schedule("[data-live]");
    });
    source.addEventListener("unread", function (e) {
      var n;
      try { n = JSON.parse(e.data).count; } catch (err) { return; }
      if (typeof n !== "number") return;
      if (setUnread(n) && document.querySelector("[data-live-unread]")) schedule("[data-live-unread]");
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && Object.keys(wanted).length && !timer) refresh();
    });
  });
})();
