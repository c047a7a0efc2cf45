// graphkit explorer overlay: search, filters, legend, labels and the evidence panel.
// Runs after pyvis's script, which defines the globals `network`, `nodes` and `edges` (vis DataSets).
// Every string from an article is put in the page with textContent, never as HTML.
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("graphkit-data").textContent);
  const $ = (id) => document.getElementById(id);
  const byNode = new Map(D.nodes.map((n) => [n.id, n]));
  const byEdge = new Map(D.edges.map((e) => [e.id, e]));
  const relMeta = new Map(D.relTypes.map((r) => [r.name, r]));
  const incident = new Map(D.nodes.map((n) => [n.id, []]));
  const groups = new Map();
  for (const e of D.edges) {
    incident.get(e.source).push(e);
    if (e.target !== e.source) incident.get(e.target).push(e);
    if (!groups.has(e.group)) groups.set(e.group, []);
    groups.get(e.group).push(e);
  }

  function el(tag, text, cls) {
    const x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  const nodeName = (id) => (byNode.has(id) ? byNode.get(id).label : String(id));
  const relName = (t) => (relMeta.has(t) ? relMeta.get(t).label_zh + " " + relMeta.get(t).label_en : t);
  const arrow = (e) => (relMeta.has(e.type) && relMeta.get(e.type).symmetric ? " ↔ " : " → ");

  // ---- legend + filters (one checkbox row per type present, with its swatch and count)
  function countBy(items, key) {
    const c = new Map();
    for (const it of items) c.set(key(it), (c.get(key(it)) || 0) + 1);
    return c;
  }
  function checks(boxId, items, counts, swatch, text) {
    const box = $(boxId);
    for (const it of items) {
      const row = el("label");
      row.dataset.value = it.name;
      const cb = el("input");
      cb.type = "checkbox";
      cb.checked = true;
      cb.value = it.name;
      cb.addEventListener("change", applyFilters);
      row.append(cb, swatch(it), el("span", text(it)), el("span", counts.get(it.name) || 0, "gk-n"));
      box.append(row);
    }
  }
  checks("gk-ntype", D.nodeTypes, countBy(D.nodes, (n) => n.type), (t) => {
    const g = el("span", t.glyph, "gk-glyph");
    g.style.color = t.color;
    return g;
  }, (t) => t.name);
  checks("gk-rel", D.relTypes, countBy(D.edges, (e) => e.type), (r) => {
    const s = el("span", null, "gk-swatch"), line = el("span", null, "gk-line");
    const head = el("span", r.symmetric ? "" : "▶", "gk-arrow");
    line.style.borderTopColor = head.style.color = r.color;
    s.append(line, head);
    return s;
  }, (r) => r.label_zh + " " + r.label_en);
  checks("gk-status", D.statuses, countBy(D.edges, (e) => e.status), (s) => {
    const sw = el("span", null, "gk-swatch"), line = sw.appendChild(el("span", null, "gk-line"));
    line.style.borderTopStyle = s.style;
    return sw;
  }, (s) => s.name);
  if (D.dateRange) {
    for (const id of ["gk-from", "gk-to"]) {
      $(id).min = D.dateRange[0];
      $(id).max = D.dateRange[1];
    }
  }
  for (const id of ["gk-from", "gk-to", "gk-undated", "gk-isolated"]) {
    $(id).addEventListener("change", applyFilters);
  }

  const checked = (boxId) =>
    new Set([...$(boxId).querySelectorAll("input:checked")].map((i) => i.value));
  // A month ("2025-03") or year date is kept when its period overlaps the range.
  function dateOk(d, from, to, hideUndated) {
    if (!d) return !hideUndated;
    if (from && d < from.slice(0, d.length)) return false;
    if (to && d > to.slice(0, d.length)) return false;
    return true;
  }
  const shownNode = new Map(D.nodes.map((n) => [n.id, true])); // pyvis drew everything
  const shownEdge = new Map(D.edges.map((e) => [e.id, true]));
  function applyFilters() {
    const rel = checked("gk-rel"), st = checked("gk-status"), nt = checked("gk-ntype");
    const from = $("gk-from").value, to = $("gk-to").value;
    const hideUndated = $("gk-undated").checked, hideIsolated = $("gk-isolated").checked;
    const linked = new Set();
    const edgeUpd = [], nodeUpd = [];
    let ne = 0, nn = 0;
    for (const e of D.edges) {
      const show = rel.has(e.type) && st.has(e.status) && nt.has(byNode.get(e.source).type) &&
        nt.has(byNode.get(e.target).type) && dateOk(e.date, from, to, hideUndated);
      if (show) { linked.add(e.source); linked.add(e.target); ne++; }
      if (shownEdge.get(e.id) !== show) {
        shownEdge.set(e.id, show);
        edgeUpd.push({ id: e.id, hidden: !show });
      }
    }
    for (const n of D.nodes) {
      const show = nt.has(n.type) && (!hideIsolated || linked.has(n.id));
      if (show) nn++;
      if (shownNode.get(n.id) !== show) {
        shownNode.set(n.id, show);
        nodeUpd.push({ id: n.id, hidden: !show });
      }
    }
    if (nodeUpd.length) nodes.update(nodeUpd);
    if (edgeUpd.length) edges.update(edgeUpd);
    $("gk-count").textContent = nn + " of " + D.nodes.length + " actors · " + ne + " of " +
      D.edges.length + " relations shown";
  }
  $("gk-reset").addEventListener("click", () => {
    document.querySelectorAll("#gk-side .gk-checks input").forEach((i) => { i.checked = true; });
    $("gk-from").value = $("gk-to").value = "";
    $("gk-undated").checked = $("gk-isolated").checked = false;
    applyFilters();
  });

  // ---- labels: Chinese or English (Chinese where there is no English name)
  $("gk-english").addEventListener("change", (ev) => {
    const en = ev.target.checked;
    nodes.update(D.nodes.map((n) => ({ id: n.id, label: en ? n.name_en || n.label : n.label })));
  });

  // ---- search over label, English name and aliases; the query is folded like graphkit's
  // `search` strings (NFKC, lower case, no spaces or middle dots, traditional → simplified).
  const norm = (s) => [...s.normalize("NFKC").toLowerCase().replace(/[\s·•・‧.]+/g, "")]
    .map((c) => D.fold[c] || c).join("");
  function search(query) {
    const q = norm(query);
    if (!q) return [];
    const hits = [];
    for (const n of D.nodes) {
      if (!n.search.includes(q)) continue;
      const rank = n.search.split("\n").includes(q) ? 0 : 1;
      hits.push({ n, rank });
    }
    hits.sort((a, b) => a.rank - b.rank || b.n.mentions - a.n.mentions ||
      (a.n.label < b.n.label ? -1 : a.n.label > b.n.label ? 1 : 0));
    return hits.slice(0, 30).map((h) => h.n.id);
  }
  function showResults() {
    const list = $("gk-results");
    list.replaceChildren();
    for (const id of search($("gk-search").value)) {
      const n = byNode.get(id);
      const b = el("button", n.label + (n.name_en ? " · " + n.name_en : "") + " (" + n.type + ")");
      b.type = "button";
      b.dataset.id = n.id;
      b.addEventListener("click", () => focusNode(n.id));
      list.appendChild(el("li")).append(b);
    }
  }
  $("gk-search").addEventListener("input", showResults);
  $("gk-search").addEventListener("keydown", (ev) => {
    const first = $("gk-results").querySelector("button");
    if (ev.key === "Enter" && first) first.click();
  });
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 300 } });
    showNode(id);
  }

  // ---- side panel
  function panel(heading) {
    const body = $("gk-panel-body");
    body.replaceChildren(el("h3", heading));
    $("gk-panel").hidden = false;
    return body;
  }
  function fields(parent, rows) {
    const dl = el("dl");
    for (const [k, v] of rows) {
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) continue;
      dl.append(el("dt", k), el("dd", Array.isArray(v) ? v.join("、") : v));
    }
    parent.append(dl);
  }
  function evidence(parent, e) {
    parent.append(el("blockquote", e.sentence));
    parent.append(el("div", "article " + e.article + " · " + (e.article_date || "undated") +
      " · chars " + e.start + "–" + e.end, "gk-cite"));
  }
  function edgeLink(e, text) {
    const b = el("button", text, "gk-link");
    b.type = "button";
    b.dataset.edge = e.id;
    b.addEventListener("click", () => { network.selectEdges([e.id]); showEdge(e.id); });
    return b;
  }
  function showNode(id) {
    const n = byNode.get(id);
    const p = panel(n.label);
    fields(p, [["English", n.name_en], ["Type", n.type], ["Aliases", n.aliases],
      ["Mentions", n.mentions], ["Articles", n.articles]]);
    const rels = incident.get(id);
    p.append(el("h4", "Relations (" + rels.length + ")"));
    const ul = el("ul");
    for (const e of rels.slice(0, 300)) {
      const text = nodeName(e.source) + arrow(e) + nodeName(e.target) + " · " + relName(e.type) + " · " +
        e.status + (e.date ? " · " + e.date : "");
      ul.appendChild(el("li")).append(edgeLink(e, text));
    }
    if (rels.length > 300) ul.append(el("li", "… " + (rels.length - 300) + " more"));
    p.append(ul);
  }
  function showEdge(id) {
    const e = byEdge.get(id);
    const p = panel(nodeName(e.source) + arrow(e) + nodeName(e.target));
    fields(p, [["Relation", relName(e.type)], ["Status", e.status], ["Date", e.date],
      ["Weapons", e.weapons.map(nodeName)], ["Role", e.role], ["Quantity", e.quantity],
      ["Attributed to", e.attribution]]);
    p.append(el("h4", "Evidence"));
    evidence(p, e);
    const support = groups.get(e.group).filter((o) => o.id !== e.id);
    if (support.length) {
      p.append(el("h4", "Supporting evidence (" + support.length + ")"));
      const ul = el("ul");
      for (const o of support) {
        const li = ul.appendChild(el("li"));
        li.append(edgeLink(o, o.status + (o.date ? " · " + o.date : "") + " · " + o.article));
        evidence(li, o);
      }
      p.append(ul);
    }
  }
  $("gk-close").addEventListener("click", () => { $("gk-panel").hidden = true; network.unselectAll(); });
  network.on("click", (params) => {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else $("gk-panel").hidden = true;
  });

  applyFilters();
  window.graphkit = { data: D, search, focusNode, showNode, showEdge, applyFilters, ready: false };
  network.once("afterDrawing", () => { window.graphkit.ready = true; });
  network.fit({ animation: false });
})();
