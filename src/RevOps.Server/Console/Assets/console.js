// RevOps console: drag and drop on the pipeline board, and the live feed. Everything also works without it:
// each card has a stage list and a Move button, and the feed page shows the latest changes as rendered.
"use strict";

function initBoard() {
  const board = document.querySelector(".board");
  if (!board) return;
  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest(".card");
    if (card) event.dataTransfer.setData("text/plain", card.dataset.id);
  });
  for (const column of board.querySelectorAll(".column")) {
    column.addEventListener("dragover", (event) => { event.preventDefault(); column.classList.add("over"); });
    column.addEventListener("dragleave", () => column.classList.remove("over"));
    column.addEventListener("drop", async (event) => {
      event.preventDefault();
      column.classList.remove("over");
      const id = event.dataTransfer.getData("text/plain");
      const card = board.querySelector(`.card[data-id="${CSS.escape(id)}"]`);
      if (!card) return;
      const form = card.querySelector("form.move");
      form.querySelector("select[name=StageName]").value = column.dataset.stage;
      // The card's own form, antiforgery token included: the same request a keyboard user sends with Move.
      form.requestSubmit();
    });
  }
}

function initFeed() {
  const feed = document.getElementById("feed");
  if (!feed) return;
  const status = document.getElementById("feed-status");
  const objectFilter = document.getElementById("feed-object");
  const userFilter = document.getElementById("feed-user");
  const visible = (item) => (!objectFilter.value || item.dataset.object === objectFilter.value)
    && (!userFilter.value || item.dataset.user.toLowerCase().includes(userFilter.value.trim().toLowerCase()));
  const refilter = () => { for (const item of feed.children) item.hidden = !visible(item); };
  let lastSeq = Number(feed.dataset.since);
  let source = null;
  let pending = 0;

  // The server filters the stream (?object=&user=): a narrow feed carries only what it shows.
  const connect = () => {
    if (source) source.close();
    const params = new URLSearchParams({ since: String(lastSeq) });
    if (objectFilter.value) params.set("object", objectFilter.value);
    if (userFilter.value.trim()) params.set("user", userFilter.value.trim());
    source = new EventSource(`/console/changes/stream?${params}`);
    source.addEventListener("open", () => { status.textContent = "Live: new changes appear at the top."; });
    source.addEventListener("error", () => { status.textContent = "Reconnecting…"; });
    source.addEventListener("change", (event) => {
      const change = JSON.parse(event.data);
      lastSeq = Math.max(lastSeq, change.seq);
      const item = document.createElement("li");
      item.dataset.object = change.object;
      item.dataset.user = `${change.actor.Name ?? ""} ${change.actor.Id}`;
      item.dataset.seq = String(change.seq);
      const time = document.createElement("time");
      time.textContent = change.time;
      const link = document.createElement("a");
      link.href = `/console/r/${encodeURIComponent(change.recordId)}`;
      link.textContent = `${change.object} ${change.recordId}`;
      item.append(time, ` ${change.actor.Name ?? change.actor.Id} ${change.operation} `, link, ` ${Object.keys(change.changes ?? {}).join(", ")}`);
      item.hidden = !visible(item);
      feed.prepend(item);
    });
  };
  objectFilter.addEventListener("change", () => { refilter(); connect(); });
  userFilter.addEventListener("input", () => { refilter(); clearTimeout(pending); pending = setTimeout(connect, 300); });
  connect();
}

// A running import's page reloads itself until the import finishes (without script: its Reload link).
function initRefresh() {
  const running = document.querySelector("[data-refresh]");
  if (running) setTimeout(() => location.reload(), Number(running.dataset.refresh) * 1000);
}

document.addEventListener("DOMContentLoaded", () => { initBoard(); initFeed(); initRefresh(); });
