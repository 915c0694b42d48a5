// The review page. Posts are untrusted: they are put in the page with text nodes and
// textContent only (never innerHTML), and invisible direction controls are shown as
// visible markers so that they cannot reorder what the reviewer sees.
"use strict";

(function () {
  const CAP = 20000; // characters shown before "show more"
  const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
  const BIDI_NAMES = {
    "\u061C": "ALM", "\u200E": "LRM", "\u200F": "RLM", "\u202A": "LRE", "\u202B": "RLE",
    "\u202C": "PDF", "\u202D": "LRO", "\u202E": "RLO", "\u2066": "LRI", "\u2067": "RLI",
    "\u2068": "FSI", "\u2069": "PDI",
  };
  const LABEL_NAMES = { promotional: "promotional", not_promotional: "not promotional", unsure: "unsure" };
  const KEYS = { p: "promotional", "1": "promotional", n: "not_promotional", "2": "not_promotional", u: "unsure", "3": "unsure" };

  const $ = (id) => document.getElementById(id);
  const state = { csrf: null, item: null, undo: [], busy: false, full: false, flagged: null };

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function status(text) {
    $("status").textContent = text || "";
  }

  function reviewer() {
    return $("reviewer").value.trim();
  }

  async function api(path, body) {
    const options = { credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRF-Token"] = state.csrf;
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = { detail: response.statusText };
    }
    if (!response.ok) {
      const detail = data && data.detail ? data.detail : response.statusText;
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    }
    return data;
  }

  // Text with direction controls made visible, appended to `parent` as nodes.
  function appendText(parent, text) {
    let last = 0;
    BIDI.lastIndex = 0;
    let match;
    while ((match = BIDI.exec(text)) !== null) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      const marker = el("span", "[" + BIDI_NAMES[match[0]] + "]", "bidi");
      marker.dir = "ltr";
      marker.title = "invisible direction control U+" + match[0].codePointAt(0).toString(16).toUpperCase().padStart(4, "0");
      parent.appendChild(marker);
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function cut(text, n) {
    // Do not split a surrogate pair.
    if (n > 0 && n < text.length) {
      const code = text.charCodeAt(n);
      if (code >= 0xdc00 && code <= 0xdfff) n -= 1;
    }
    return text.slice(0, n);
  }

  function renderPost(item) {
    const post = $("post");
    clear(post);
    const segments = item.segments || [{ text: item.text, weight: 0, features: [] }];
    const max = Math.max(1e-9, ...segments.map((s) => Math.abs(s.weight)));
    let budget = state.full ? Infinity : CAP;
    for (const segment of segments) {
      if (budget <= 0) break;
      let text = segment.text;
      if (text.length > budget) text = cut(text, budget);
      budget -= text.length;
      if (segment.weight === 0) {
        appendText(post, text);
        continue;
      }
      const span = el("span", null, segment.weight > 0 ? "pos" : "neg");
      span.style.setProperty("--a", (0.12 + 0.45 * Math.abs(segment.weight) / max).toFixed(2));
      span.title = segment.features.join("\n") + "\nweight " + segment.weight.toFixed(3);
      appendText(span, text);
      post.appendChild(span);
    }
    const more = $("more");
    const hidden = item.text.length - CAP;
    if (!state.full && hidden > 0) {
      more.hidden = false;
      more.textContent = "show more (" + hidden.toLocaleString("en") + " more characters)";
    } else {
      more.hidden = true;
    }
  }

  function renderMeta(item) {
    const meta = $("meta");
    clear(meta);
    const flagged = state.flagged !== null && item.label === state.flagged;
    meta.appendChild(el("span", "model: " + item.label, "tag" + (flagged ? " flagged" : "")));
    meta.appendChild(el("span", "confidence " + (100 * item.confidence).toFixed(1) + "%", "tag"));
    if (state.flagged !== null) {
      meta.appendChild(el("span", state.flagged + " score " + item.score.toFixed(3), "tag"));
    }
    meta.appendChild(el("span", "line " + item.line, "tag"));
    if (item.id !== null && item.id !== undefined) meta.appendChild(el("span", "id " + item.id, "tag"));
    meta.appendChild(el("span", "#" + (item.position + 1), "tag"));
  }

  function renderNgrams(item) {
    const list = $("ngrams");
    clear(list);
    const explanation = item.explanation || { ngrams: [] };
    $("legend").textContent = explanation.label
      ? "Highlighted: n-grams pushing towards \u201c" + explanation.label + "\u201d (red) or away from it (green); places are approximate (the model reads normalised text)."
      : "";
    for (const ngram of explanation.ngrams || []) {
      const li = el("li", null, ngram.weight > 0 ? "pos" : "neg");
      const kind = ngram.feature.startsWith("w:") ? "word " : "chars ";
      li.appendChild(document.createTextNode(kind));
      const text = el("bdi", null);
      appendText(text, ngram.feature.slice(2));
      li.appendChild(text);
      li.appendChild(document.createTextNode(" " + (ngram.weight > 0 ? "+" : "") + ngram.weight.toFixed(3)));
      list.appendChild(li);
    }
  }

  function renderMatch(item) {
    const box = $("match");
    clear(box);
    if (!item.match) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.appendChild(el("strong", "Known-content match: "));
    for (const [key, value] of Object.entries(item.match)) {
      const part = el("span", null);
      appendText(part, key + " " + (typeof value === "object" ? JSON.stringify(value) : String(value)) + "  ");
      box.appendChild(part);
    }
  }

  function renderDecision(item) {
    const box = $("decision");
    clear(box);
    const me = reviewer();
    for (const button of document.querySelectorAll("#buttons button[data-label]")) {
      button.classList.remove("current");
    }
    const mine = (item.reviewers || []).find((r) => r.reviewer === me);
    $("note").value = mine ? mine.note : "";
    if (!item.decision) {
      box.appendChild(el("span", "Not decided yet."));
      return;
    }
    const current = document.querySelector('#buttons button[data-label="' + item.decision.label + '"]');
    if (current) current.classList.add("current");
    box.appendChild(el("span", "Decision: " + LABEL_NAMES[item.decision.label] + " (" + item.decision.reviewer + ", " + item.decision.decided_at + ")"));
    const labels = new Set((item.reviewers || []).map((r) => r.label));
    if (labels.size > 1) {
      box.appendChild(el("div", "Reviewers disagree:", "conflict"));
    }
    if ((item.reviewers || []).length > 1) {
      const list = el("ul");
      for (const r of item.reviewers) {
        const li = el("li");
        appendText(li, r.reviewer + ": " + LABEL_NAMES[r.label] + (r.note ? " \u2014 " + r.note : ""));
        list.appendChild(li);
      }
      box.appendChild(list);
    }
  }

  function renderProgress(progress) {
    if (!progress) return;
    const total = progress.total || 0;
    const share = (n) => (total ? (100 * n / total).toFixed(0) + "%" : "0%");
    const promo = progress.decided.promotional;
    const text = "Reviewed " + progress.reviewed + " of " + total + " (" + share(progress.reviewed) + ")"
      + " \u00b7 flagged by the model " + progress.model_flagged + " (" + share(progress.model_flagged) + ")"
      + " \u00b7 decided promotional " + promo
      + (progress.reviewed ? " (" + (100 * promo / progress.reviewed).toFixed(0) + "% of reviewed)" : "")
      + ", not promotional " + progress.decided.not_promotional + ", unsure " + progress.decided.unsure;
    $("progress").textContent = text;
    $("progress-bar").style.width = total ? (100 * progress.reviewed / total) + "%" : "0";
  }

  function show(data) {
    renderProgress(data.progress);
    const item = data.item;
    state.item = item;
    state.full = false;
    if (!item) {
      $("card").hidden = true;
      $("empty").hidden = false;
      $("empty").textContent = "No more posts here (filter: " + $("filter").value + ").";
      document.body.dataset.position = "";
      return;
    }
    $("empty").hidden = true;
    $("card").hidden = false;
    renderMeta(item);
    renderPost(item);
    renderMatch(item);
    renderNgrams(item);
    renderDecision(item);
    document.body.dataset.position = String(item.position);
  }

  async function run(action) {
    if (state.busy) return;
    state.busy = true;
    try {
      status("");
      await action();
    } catch (error) {
      status(error.message);
    } finally {
      state.busy = false;
    }
  }

  function needReviewer() {
    if (reviewer()) return false;
    status("Type your name in the Reviewer field first.");
    $("reviewer").focus();
    return true;
  }

  async function load(position, direction) {
    const query = new URLSearchParams({ position: String(position), direction, filter: $("filter").value });
    show(await api("/api/item?" + query));
  }

  async function next(from) {
    const position = from === undefined ? (state.item ? state.item.position : -1) : from;
    await load(position, "next");
  }

  function decide(label) {
    run(async () => {
      if (!state.item || needReviewer()) return;
      const position = state.item.position;
      const data = await api("/api/decide", { position, label, reviewer: reviewer(), note: $("note").value });
      state.undo.push({ event: data.event.id, position });
      renderProgress(data.progress);
      await next(position);
    });
  }

  function skip() {
    run(async () => {
      if (!state.item || needReviewer()) return;
      const position = state.item.position;
      await api("/api/skip", { position, reviewer: reviewer() });
      await next(position);
    });
  }

  function undo() {
    run(async () => {
      if (needReviewer()) return;
      const last = state.undo.pop();
      if (!last) {
        status("Nothing to undo in this page.");
        return;
      }
      try {
        await api("/api/undo", { event_id: last.event, reviewer: reviewer() });
      } catch (error) {
        state.undo.push(last);
        throw error;
      }
      const query = new URLSearchParams({ position: String(last.position), direction: "at", filter: "all" });
      show(await api("/api/item?" + query));
    });
  }

  function typing(event) {
    const tag = event.target && event.target.tagName;
    return tag === "TEXTAREA" || tag === "INPUT" || tag === "SELECT";
  }

  function onKey(event) {
    if (event.key === "Escape" && typing(event)) {
      event.target.blur();
      return;
    }
    if (typing(event) || event.altKey || event.metaKey) return;
    if (event.ctrlKey) {
      if (event.key === "z") {
        event.preventDefault();
        undo();
      }
      return;
    }
    const key = event.key.toLowerCase();
    if (KEYS[key]) {
      event.preventDefault();
      decide(KEYS[key]);
    } else if (key === "s") {
      event.preventDefault();
      skip();
    } else if (key === "z") {
      event.preventDefault();
      undo();
    } else if (event.key === "ArrowRight" || key === "j") {
      event.preventDefault();
      run(() => next());
    } else if (event.key === "ArrowLeft" || key === "k") {
      event.preventDefault();
      run(() => load(state.item ? state.item.position : 1e15, "prev"));
    }
  }

  async function start() {
    const data = await api("/api/state");
    state.csrf = data.csrf;
    state.flagged = data.model.flagged_label;
    const queue = data.queue;
    $("queue-info").textContent = queue.input_name + " \u00b7 " + queue.n_rows + " rows"
      + (queue.n_errors ? ", " + queue.n_errors + " unreadable (not queued)" : "")
      + " \u00b7 order: " + queue.order + " \u00b7 model " + data.model.name
      + (data.model.version ? " " + data.model.version : "") + " (" + data.model.id + ")";
    // The model's own labels as filters (the page lists the usual two by default).
    const filter = $("filter");
    for (const option of Array.from(filter.options)) {
      if (option.value.startsWith("model:")) filter.removeChild(option);
    }
    for (const label of data.model_labels || []) {
      const option = el("option", "model: " + label);
      option.value = "model:" + label;
      filter.appendChild(option);
    }
    const saved = window.localStorage.getItem("aeclf-reviewer");
    $("reviewer").value = saved || data.reviewer || "";
    renderProgress(data.progress);
    if (reviewer()) {
      show(await api("/api/resume?" + new URLSearchParams({ reviewer: reviewer() })));
    } else {
      await next(-1);
      needReviewer();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("#buttons button[data-label]")) {
      button.addEventListener("click", () => decide(button.dataset.label));
    }
    $("skip").addEventListener("click", skip);
    $("undo").addEventListener("click", undo);
    $("next").addEventListener("click", () => run(() => next()));
    $("prev").addEventListener("click", () => run(() => load(state.item ? state.item.position : 1e15, "prev")));
    $("more").addEventListener("click", () => {
      state.full = true;
      renderPost(state.item);
    });
    $("filter").addEventListener("change", () => run(() => next(-1)));
    $("reviewer").addEventListener("change", () => {
      window.localStorage.setItem("aeclf-reviewer", reviewer());
      if (state.item) renderDecision(state.item);
    });
    document.addEventListener("keydown", onKey);
    run(start).then(() => {
      document.body.dataset.ready = "1";
    });
  });
})();
