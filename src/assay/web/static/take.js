// The candidate's client: autosave with idempotency keys and a persistent retry queue, the
// server-driven countdown, integrity signals (only those the assessment records), sample runs.
(function () {
  "use strict";
  const DEBOUNCE_MS = 800;
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/[^A-Za-z0-9_-]/g, "");

  async function call(token, method, path, body) {
    const response = await fetch(`/take/${token}/api${path}`, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { status: response.status, ok: response.ok, data };
  }

  // --- landing page ------------------------------------------------------------------------
  const startForm = $("#start-form");
  if (startForm) {
    const token = startForm.dataset.token;
    const mark = (name, text) => { const li = $(`[data-check="${name}"]`); if (li) li.textContent = text; };
    try { localStorage.setItem("assay-check", "1"); localStorage.removeItem("assay-check"); mark("storage", "Browser storage: OK (answers survive a closed tab)."); }
    catch (e) { mark("storage", "Browser storage: blocked. Answers still save, but keep this tab open."); }
    fetch("/healthz").then((r) => mark("network", r.ok ? "Connection to Assay: OK." : "Connection to Assay: problem, try again later."))
      .catch(() => mark("network", "Connection to Assay: offline."));
    startForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await call(token, "POST", "/start", {}).catch(() => null);
      if (result && result.ok) { window.location.href = `/take/${token}/work`; return; }
      $("#start-error").textContent = result && result.data ? result.data.detail : "Could not reach Assay; check your connection and try again.";
    });
  }

  // --- confirmation page: deletion ----------------------------------------------------------
  const deleteForm = $("#delete-form");
  if (deleteForm) {
    deleteForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const result = await call(deleteForm.dataset.token, "DELETE", "/data").catch(() => null);
      $("#delete-status").textContent = result && result.status === 204
        ? "Your data has been deleted. This link no longer works."
        : "The deletion did not go through; try again.";
    });
  }

  // --- the section page ---------------------------------------------------------------------
  const root = $("#attempt");
  if (!root) return;
  const token = root.dataset.token;
  const queueKey = `assay-queue-${token}`;
  const seqKey = (ref) => `assay-seq-${token}-${ref}`;
  const statusEl = $("#save-status");
  const errorEl = $("#attempt-error");
  let sending = false;
  let retryDelay = 1000;
  let retryTimer = null;
  let timeUp = false;

  const readQueue = () => { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } };
  const writeQueue = (queue) => { try { localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* full: kept in memory below */ } memoryQueue = queue; };
  let memoryQueue = readQueue();
  const queue = () => { const stored = readQueue(); return stored.length || !memoryQueue.length ? stored : memoryQueue; };

  function setStatus(text) { if (statusEl.textContent !== text) statusEl.textContent = text; }
  function showError(text) { errorEl.textContent = text; errorEl.hidden = false; }

  function nextSequence(item) {
    const stored = Number(localStorage.getItem(seqKey(item.dataset.ref)) || 0);
    const next = Math.max(stored, Number(item.dataset.sequence || 0)) + 1;
    try { localStorage.setItem(seqKey(item.dataset.ref), String(next)); } catch (e) { /* ignore */ }
    item.dataset.sequence = String(next);
    return next;
  }

  function enqueue(item, answer) {
    const entry = { item_id: item.dataset.ref, answer, sequence: nextSequence(item), key: uuid() };
    // A newer answer to the same item replaces one still waiting (never one in flight).
    const pending = queue().filter((e) => e.item_id !== entry.item_id || e.inFlight);
    pending.push(entry);
    writeQueue(pending);
    setStatus(navigator.onLine === false ? "Offline — will retry" : "Saving…");
    flush();
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      for (;;) {
        const pending = queue();
        if (!pending.length) { setStatus("Saved"); retryDelay = 1000; break; }
        const entry = pending[0];
        entry.inFlight = true;
        writeQueue(pending);
        let result = null;
        try {
          result = await call(token, "POST", "/answers", { item_id: entry.item_id, answer: entry.answer, sequence: entry.sequence, key: entry.key });
        } catch (e) { result = null; }
        if (!result || result.status >= 500 || result.status === 429 || result.status === 0) {
          entry.inFlight = false;
          writeQueue(queue().map((e) => (e.key === entry.key ? entry : e)));
          setStatus("Offline — will retry");
          clearTimeout(retryTimer);
          retryTimer = setTimeout(flush, retryDelay);
          retryDelay = Math.min(retryDelay * 2, 30000);
          break;
        }
        writeQueue(queue().filter((e) => e.key !== entry.key));
        if (result.ok) {
          syncClock(result.data.remaining_seconds);
        } else {
          const detail = result.data && result.data.detail ? result.data.detail : "This answer was not saved.";
          showError(detail);
          if (result.data && result.data.error === "time_up") { timeUp = true; }
        }
      }
    } finally { sending = false; }
  }

  // Wait (a bounded while) for the queue to empty, including a flush already under way.
  async function drain(ms) {
    const end = performance.now() + ms;
    while (queue().length && performance.now() < end) {
      await flush();
      if (queue().length) await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  window.addEventListener("online", () => { retryDelay = 1000; flush(); });
  window.addEventListener("offline", () => setStatus("Offline — will retry"));

  // Countdown: the server's remaining seconds, counted down locally, re-synced on every save.
  const countdown = $("#countdown");
  let deadline = performance.now() + Number(root.dataset.remaining) * 1000;
  function syncClock(seconds) { if (typeof seconds === "number") deadline = performance.now() + seconds * 1000; }
  function tick() {
    const left = Math.max(0, Math.round((deadline - performance.now()) / 1000));
    countdown.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left === 60) setStatus("One minute left");
    if (left === 0 && !timeUp) {
      timeUp = true;
      showError("Time is up for this section. Everything saved before the limit is kept.");
      flush().finally(() => setTimeout(() => window.location.reload(), 1500));
    }
  }
  setInterval(tick, 1000);
  tick();

  // Answers of each kind, read from the page.
  // Typing is saved after a pause; a pause still pending is saved at once before moving on or
  // when the page is hidden (tab closed, reload), so the queue in localStorage holds it.
  const pendingEdits = new Map();
  function debounced(fn) {
    let t = null;
    const run = () => { clearTimeout(t); t = null; pendingEdits.delete(run); fn(); };
    return () => { clearTimeout(t); pendingEdits.set(run, true); setStatus("Unsaved changes"); t = setTimeout(run, DEBOUNCE_MS); };
  }
  const saveEditsNow = () => { Array.from(pendingEdits.keys()).forEach((run) => run()); };
  window.addEventListener("pagehide", saveEditsNow);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") saveEditsNow(); });
  const editors = {};

  function restore(item, apply) {
    const waiting = queue().filter((e) => e.item_id === item.dataset.ref).pop();
    if (waiting) { apply(waiting.answer); flush(); }
  }

  $$(".item").forEach((item) => {
    const kind = item.dataset.kind;
    const ref = item.dataset.ref;
    if (kind === "choice") {
      const read = () => ({ selected: $$("input", item).filter((i) => i.checked).map((i) => i.value) });
      restore(item, (answer) => $$("input", item).forEach((i) => { i.checked = answer.selected.includes(i.value); }));
      $$("input", item).forEach((input) => input.addEventListener("change", () => enqueue(item, read())));
    } else if (kind === "free_text") {
      const area = $("textarea", item);
      restore(item, (answer) => { area.value = answer.text; });
      area.addEventListener("input", debounced(() => enqueue(item, { text: area.value })));
    } else if (kind === "coding" || kind === "sql") {
      const starters = JSON.parse($(".starters", item).textContent);
      let files = JSON.parse($(".saved-files", item).textContent);
      const langEl = $(".answer-language", item);
      const holder = $(".editor", item);
      const waiting = queue().filter((e) => e.item_id === ref).pop();
      if (waiting) { files = waiting.answer.files; langEl.value = waiting.answer.language; }
      const language = () => langEl.value;
      const fileName = () => Object.keys(starters[language()] || {})[0] || "solution";
      const current = () => (files && files[fileName()] !== undefined ? files : starters[language()] || {});
      const save = () => enqueue(item, { language: language(), files: { [fileName()]: editors[ref].getValue() } });
      const editorLanguage = () => (kind === "sql" ? holder.dataset.editorLanguage : language());
      editors[ref] = window.AssayEditor.create(holder, { doc: current()[fileName()] || "", language: editorLanguage(), label: holder.dataset.label, onChange: debounced(save) });
      // Long lines scroll sideways; axe (and keyboard users) need the scroller reachable, and
      // a caret inside contenteditable does not count for it.
      $$(".cm-scroller", holder).forEach((scroller) => { scroller.tabIndex = 0; scroller.setAttribute("aria-label", `${holder.dataset.label} (scroll area)`); scroller.setAttribute("role", "region"); });
      if (waiting) flush();
      langEl.addEventListener("change", () => { files = null; editors[ref].setValue((starters[language()] || {})[fileName()] || ""); editors[ref].setLanguage(editorLanguage()); save(); });
      $(".run-samples", item).addEventListener("click", async (event) => {
        const button = event.currentTarget;
        const out = $(".sample-results", item);
        button.disabled = true;
        out.textContent = "Running the sample tests…";
        const result = await call(token, "POST", `/items/${ref}/run`, { language: language(), files: { [fileName()]: editors[ref].getValue() } }).catch(() => null);
        button.disabled = false;
        if (!result || !result.ok) { out.textContent = result && result.data ? result.data.detail : "Could not run the tests; your code is saved."; return; }
        const list = document.createElement("ul");
        result.data.tests.forEach((t) => { const li = document.createElement("li"); li.textContent = `${t.passed ? "Passed" : "Failed"}: ${t.name}${t.message ? " — " + t.message : ""}`; list.appendChild(li); });
        out.textContent = `${result.data.passed} of ${result.data.total} sample tests passed.`;
        out.appendChild(list);
      });
    } else if (kind === "code_review") {
      let comments = JSON.parse($(".saved-comments", item).textContent) || [];
      const waiting = queue().filter((e) => e.item_id === ref).pop();
      if (waiting) { comments = waiting.answer.comments; flush(); }
      const list = $(".review-comments", item);
      const save = () => enqueue(item, { comments });
      const saveSoon = debounced(save);
      function draw(focusIndex) {
        list.textContent = "";
        comments.forEach((c, index) => {
          const li = document.createElement("li");
          const id = `comment-${ref}-${index}`;
          const label = document.createElement("label");
          label.htmlFor = id;
          label.textContent = `${c.file}, line ${c.line}`;
          const area = document.createElement("textarea");
          area.id = id; area.rows = 2; area.value = c.text || "";
          area.addEventListener("input", () => { c.text = area.value; saveSoon(); });
          const remove = document.createElement("button");
          remove.type = "button"; remove.className = "small secondary"; remove.textContent = "Remove";
          remove.setAttribute("aria-label", `Remove comment on ${c.file} line ${c.line}`);
          remove.addEventListener("click", () => { comments.splice(index, 1); draw(); save(); });
          li.append(label, area, remove);
          list.appendChild(li);
          if (index === focusIndex) area.focus();
        });
      }
      draw();
      $$(".mark-line", item).forEach((button) => button.addEventListener("click", () => {
        comments.push({ file: button.closest("table").dataset.file, line: Number(button.dataset.line), text: "" });
        draw(comments.length - 1);
        save();
      }));
    }
  });

  // Integrity signals: only the kinds this assessment records; sent best-effort.
  const signals = (root.dataset.signals || "").split(",").filter(Boolean);
  function signal(kind, detail) {
    if (!signals.includes(kind)) return;
    call(token, "POST", "/signals", { kind, detail: detail || {}, client_at: new Date().toISOString() }).catch(() => {});
  }
  let lastFocusLoss = 0;
  const focusLost = () => { const now = Date.now(); if (now - lastFocusLoss > 1000) { lastFocusLoss = now; signal("focus_loss"); } };
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") focusLost(); });
  window.addEventListener("blur", focusLost);
  document.addEventListener("paste", (event) => {
    const text = event.clipboardData ? event.clipboardData.getData("text") : "";
    signal("paste", { chars: text.length });
  });
  document.addEventListener("fullscreenchange", () => { if (!document.fullscreenElement) signal("fullscreen_exit"); });

  // Moving on: everything waiting is saved first.
  $("#next-section").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    saveEditsNow();
    await drain(10000);
    if (queue().length) { showError("Some answers are still waiting to be saved; reconnect and try again."); button.disabled = false; return; }
    const result = await call(token, "POST", button.dataset.last ? "/finish" : "/sections/next", {}).catch(() => null);
    if (result && result.ok) { window.location.href = result.data.finished ? `/take/${token}/done` : `/take/${token}/work`; return; }
    showError(result && result.data ? result.data.detail : "Could not reach Assay; check your connection and try again.");
    button.disabled = false;
  });
})();
