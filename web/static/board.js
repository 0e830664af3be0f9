// The shortlist board: drag a card to another stage's column. This only
// enhances the page: every card has its own stage menu and Move button,
// which work from the keyboard and without this file.
//
// Events are handled on the document, so the board keeps working after
// live.js swaps in a fresh copy of it.
(function () {
  "use strict";

  var dragged = null;

  function column(el) {
    return el && el.closest ? el.closest("[data-board] .board-col[data-drop]") : null;
  }

  function clearTargets() {
    var cols = document.querySelectorAll(".board-col.drop-target");
    for (var i = 0; i < cols.length; i++) cols[i].classList.remove("drop-target");
  }

  // say announces a message to screen readers; an error is shown too.
  function say(msg, isError) {
    var live = document.getElementById("board-status");
    var shown = document.getElementById("board-error");
    if (shown) {
      shown.textContent = isError ? msg : "";
      shown.hidden = !isError;
    }
    if (live && !isError) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = msg; }, 60);
    }
  }

  // bump changes a column's count and its empty note.
  function bump(col, by) {
    var count = col.querySelector("[data-count]");
    if (count) {
      var n = Math.max(0, (parseInt(count.textContent, 10) || 0) + by);
      count.textContent = String(n);
      var noun = count.nextElementSibling;
      if (noun) noun.textContent = n === 1 ? " candidate" : " candidates";
    }
    var empty = col.querySelector(".col-empty");
    var cards = col.querySelectorAll(".sl-card");
    if (empty) empty.hidden = cards.length > 0;
  }

  // place puts a card into a column's list in the order the server uses.
  function place(card, col) {
    var list = col.querySelector(".sl-cards");
    var id = parseInt(card.getAttribute("data-app"), 10);
    var cards = list.querySelectorAll(".sl-card");
    for (var i = 0; i < cards.length; i++) {
      if (parseInt(cards[i].getAttribute("data-app"), 10) > id) {
        list.insertBefore(card, cards[i]);
        return;
      }
    }
    list.appendChild(card);
  }

  function move(card, from, to) {
    var id = card.getAttribute("data-app");
    var stageID = to.getAttribute("data-stage");
    var body = new URLSearchParams();
    body.set("stage_id", stageID);
    card.classList.add("moving");
    fetch("/applications/" + encodeURIComponent(id) + "/stage", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      return res.json().catch(function () {
        return { ok: false, message: "The move didn't go through. Reload the page and try again." };
      });
    }).then(function (data) {
      card.classList.remove("moving");
      if (!data.ok) {
        say(data.message || "The move didn't go through. Reload the page and try again.", true);
        return;
      }
      place(card, to);
      var select = card.querySelector("select[name=stage_id]");
      if (select) {
        var stale = select.querySelector("option[disabled]");
        if (stale) stale.parentNode.removeChild(stale);
        select.value = stageID;
      }
      bump(from, -1);
      bump(to, 1);
      say(data.message, false);
      var flash = document.querySelector("main > .flash");
      if (flash) flash.parentNode.removeChild(flash);
    }).catch(function () {
      card.classList.remove("moving");
      say("Portico couldn't be reached, so the move didn't go through. Check the connection and try again.", true);
    });
  }

  document.addEventListener("dragstart", function (e) {
    var card = e.target && e.target.closest ? e.target.closest("[data-board] .sl-card[data-app]") : null;
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", card.getAttribute("data-name") || "");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (e) {
    var col = column(e.target);
    if (!dragged || !col) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    if (!col.classList.contains("drop-target")) {
      clearTargets();
      col.classList.add("drop-target");
    }
  });

  document.addEventListener("dragleave", function (e) {
    var col = column(e.target);
    if (col && !col.contains(e.relatedTarget)) col.classList.remove("drop-target");
  });

  document.addEventListener("drop", function (e) {
    var col = column(e.target);
    if (!dragged || !col) return;
    e.preventDefault();
    clearTargets();
    var card = dragged;
    dragged = null;
    card.classList.remove("dragging");
    var from = card.closest(".board-col");
    if (from && from !== col) move(card, from, col);
  });
})();
