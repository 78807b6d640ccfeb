// The network map: sigma.js (WebGL) draws the graph that /n/<slug>/map/data.json returns.
// Positions come from the server (computed once per snapshot), so nothing is laid out here and
// the map stays fluid with thousands of members. Names arrive only where the viewer may see them.

import Graph from "graphology";
import Sigma from "sigma";
import { downloadAsPNG } from "@sigma/export-image";

// Colour-blind-friendly first (Okabe-Ito), then more distinct hues; groups past the palette are grey.
const PALETTE = [
  "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
  "#7F3C8D", "#11A579", "#3969AC", "#E73F74", "#80BA5A",
];
const OTHER = "#9aa0a6";
const DIMMED = "#e3e5e8";
const EDGE = "#c7ccd3";

const colourOf = (group) => (group < PALETTE.length ? PALETTE[group] : OTHER);
const DAY = 86400000;
// "2025-03-01" -> days since 1970-01-01 (the payload's day numbers); "" -> null.
const dayOf = (value) => (value ? Math.round(Date.parse(`${value}T00:00:00Z`) / DAY) : null);

function main() {
  const container = document.getElementById("map-canvas");
  if (!container) return;
  const $ = (id) => document.getElementById(id);
  const controls = $("map-controls");
  const status = $("map-status");
  const search = $("map-search");
  const ego = $("map-ego");
  const filters = $("map-filters");
  const kindBoxes = $("map-kinds");
  const fromInput = $("map-from");
  const untilInput = $("map-until");
  const state = { data: null, renderer: null, graph: null, highlighted: null, neighbours: null };

  function params() {
    const form = new FormData(controls);
    return new URLSearchParams({
      snapshot: form.get("snapshot") || "",
      colour: form.get("colour") || "community",
      size: form.get("size") || "degree",
    });
  }

  function build(data) {
    const graph = new Graph({ type: data.snapshot.directed ? "directed" : "undirected", multi: false });
    for (const node of data.nodes) {
      graph.addNode(String(node.i), {
        x: node.x,
        y: 1 - node.y,
        size: node.s,
        color: colourOf(node.c),
        label: node.named ? node.label : null,
        group: node.c,
      });
    }
    data.edges.forEach((edge, position) => {
      const [source, target, weight, kinds, first, last] = edge;
      if (source === target) return;
      graph.mergeEdgeWithKey(`e${position}`, String(source), String(target), {
        size: Math.min(4, 0.5 + Number(weight) * 0.5),
        color: EDGE,
        // Snapshots frozen before edges kept their kinds and dates have none: always shown.
        kinds: Array.isArray(kinds) ? kinds : null,
        first: first === undefined ? null : first,
        last: last === undefined ? null : last,
        hidden: false,
      });
    });
    return graph;
  }

  function egoSet() {
    const data = state.data;
    if (!ego || !ego.checked || data.me === null || data.me === undefined) return null;
    const me = String(data.me);
    return new Set([me, ...state.graph.neighbors(me)]);
  }

  function nodeReducer(key, attributes) {
    const result = { ...attributes };
    const only = egoSet();
    if (only && !only.has(key)) {
      result.hidden = true;
      return result;
    }
    if (state.highlighted !== null) {
      if (key === state.highlighted) {
        result.highlighted = true;
        result.zIndex = 2;
      } else if (!state.neighbours.has(key)) {
        result.color = DIMMED;
        result.label = null;
      }
    }
    return result;
  }

  function edgeReducer(key, attributes) {
    const result = { ...attributes };
    const only = egoSet();
    if (only) {
      const [source, target] = state.graph.extremities(key);
      if (!only.has(source) || !only.has(target)) result.hidden = true;
    }
    if (state.highlighted !== null) {
      const [source, target] = state.graph.extremities(key);
      if (source !== state.highlighted && target !== state.highlighted) result.hidden = true;
      else result.color = "#555";
    }
    return result;
  }

  function showLegend(data) {
    const list = $("map-legend-list");
    list.replaceChildren();
    for (const [group, entry] of data.legend.entries()) {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "map-swatch";
      swatch.style.background = colourOf(group);
      swatch.setAttribute("aria-hidden", "true");
      const text = document.createElement("span");
      text.textContent = `${entry.label} (${entry.count})`;
      item.append(swatch, text);
      list.append(item);
    }
  }

  // The tie-kind and time-window filters: they set graphology's `hidden` on the edges they
  // leave out, so sigma stops drawing them at once, and the status line counts what is shown.
  function showFilters(data) {
    if (!filters) return;
    const kinds = data.tie_kinds || [];
    const dates = data.dates || null;
    filters.hidden = kinds.length === 0 && !dates;
    kindBoxes.replaceChildren();
    $("map-kinds-field").hidden = kinds.length === 0;
    kinds.forEach((kind, position) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = String(position);
      box.name = "tie-kind";
      label.append(box, ` ${kind.label} (${kind.count})`);
      kindBoxes.append(label);
    });
    $("map-window-field").hidden = !dates;
    for (const input of [fromInput, untilInput]) {
      input.min = dates ? dates.first : "";
      input.max = dates ? dates.last : "";
    }
    fromInput.value = dates ? dates.first : "";
    untilInput.value = dates ? dates.last : "";
  }

  function applyFilters() {
    const graph = state.graph;
    if (!graph) return;
    const boxes = [...kindBoxes.querySelectorAll("input[type=checkbox]")];
    const wanted = new Set(boxes.filter((box) => box.checked).map((box) => Number(box.value)));
    const everyKind = wanted.size === boxes.length;
    const from = dayOf(fromInput.value);
    const until = dayOf(untilInput.value);
    let shown = 0;
    graph.forEachEdge((key, attributes) => {
      let hidden = false;
      if (attributes.kinds !== null) {
        if (!everyKind && !attributes.kinds.some((kind) => wanted.has(kind))) hidden = true;
        // An edge is in the window when some of its ties were observed in it: its first and
        // last days overlap the window.
        if (from !== null && attributes.last < from) hidden = true;
        if (until !== null && attributes.first > until) hidden = true;
      }
      if (attributes.hidden !== hidden) graph.setEdgeAttribute(key, "hidden", hidden);
      if (!hidden) shown += 1;
    });
    state.shownTies = shown;
    const total = graph.size;
    const template =
      shown === total ? container.dataset.statusTemplate : container.dataset.filteredTemplate;
    let text = template
      .replace("{members}", String(state.data.nodes.length))
      .replace("{shown}", String(shown))
      .replace("{ties}", String(total));
    if (from !== null && until !== null && from > until) text += ` ${container.dataset.badWindow}`;
    status.textContent = text;
    if (state.renderer) state.renderer.refresh();
  }

  function resetFilters() {
    for (const box of kindBoxes.querySelectorAll("input[type=checkbox]")) box.checked = true;
    const dates = state.data && state.data.dates;
    fromInput.value = dates ? dates.first : "";
    untilInput.value = dates ? dates.last : "";
    applyFilters();
  }

  function showNames(data) {
    const list = $("map-names");
    list.replaceChildren();
    const names = data.nodes.filter((node) => node.named).map((node) => node.label);
    for (const name of [...new Set(names)].sort()) {
      const option = document.createElement("option");
      option.value = name;
      list.append(option);
    }
  }

  function showCard(index) {
    const node = state.data.nodes[Number(index)];
    const card = $("map-card");
    card.hidden = false;
    $("map-card-name").textContent = node.label;
    $("map-card-organization").textContent = node.organization || "";
    $("map-card-degree").textContent = String(node.degree);
    $("map-card-role").textContent = state.data.role_labels[node.role] || node.role || "—";
    $("map-card-community").textContent =
      node.community === null || node.community === undefined ? "—" : String(node.community + 1);
    const link = $("map-card-link");
    if (node.named && node.person) {
      link.href = container.dataset.profileUrl.replace(/\/0\/$/, `/${node.person}/`);
      link.hidden = false;
    } else {
      link.hidden = true;
      link.removeAttribute("href");
    }
  }

  function highlight(key) {
    state.highlighted = key;
    state.neighbours = key === null ? null : new Set(state.graph.neighbors(key));
    state.renderer.refresh();
    if (key !== null) {
      showCard(key);
      const position = state.renderer.getNodeDisplayData(key);
      if (position) {
        state.renderer.getCamera().animate({ x: position.x, y: position.y, ratio: 0.4 }, { duration: 400 });
      }
    }
  }

  function find(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) {
      highlight(null);
      return;
    }
    const nodes = state.data.nodes.filter((node) => node.named);
    const hit =
      nodes.find((node) => node.label.toLowerCase() === wanted) ||
      nodes.find((node) => node.label.toLowerCase().includes(wanted));
    if (hit) {
      highlight(String(hit.i));
      status.textContent = hit.label;
    } else {
      status.textContent = container.dataset.notFound;
    }
  }

  async function load() {
    const query = params();
    const response = await fetch(`${container.dataset.url}?${query}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) {
      status.textContent = data.error || response.statusText;
      return;
    }
    state.data = data;
    state.graph = build(data);
    state.highlighted = null;
    if (state.renderer) {
      state.renderer.setGraph(state.graph);
    } else {
      state.renderer = new Sigma(state.graph, container, {
        nodeReducer,
        edgeReducer,
        labelRenderedSizeThreshold: 8,
        renderEdgeLabels: false,
      });
      state.renderer.on("clickNode", ({ node }) => highlight(node));
      state.renderer.on("clickStage", () => highlight(null));
    }
    showLegend(data);
    showFilters(data);
    showNames(data);
    applyFilters();
    container.dataset.ready = "true";
    window.netweaveMap = state;
  }

  controls.addEventListener("change", (event) => {
    if (event.target.name === "snapshot") {
      controls.submit(); // another snapshot: the tables beside the map change too
      return;
    }
    const url = new URL(window.location.href);
    for (const [key, value] of params()) url.searchParams.set(key, value);
    window.history.replaceState(null, "", url);
    load();
  });
  if (filters) {
    // "input" as well as "change": a date typed digit by digit filters as soon as it is whole.
    filters.addEventListener("change", applyFilters);
    filters.addEventListener("input", applyFilters);
    $("map-filters-reset").addEventListener("click", resetFilters);
  }
  search.addEventListener("change", () => find(search.value));
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      find(search.value);
    }
  });
  if (ego) ego.addEventListener("change", () => state.renderer && state.renderer.refresh());
  $("map-export").addEventListener("click", () => {
    if (!state.renderer) return;
    downloadAsPNG(state.renderer, {
      fileName: container.dataset.fileName,
      backgroundColor: "#ffffff",
    });
  });

  load().catch((error) => {
    status.textContent = String(error);
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
