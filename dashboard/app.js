// indikator dashboard: turns the server-rendered page into an app without taking anything
// away from it. Every view is still a URL the server renders in full; this module fetches
// that HTML when a control changes, swaps it in, and keeps the address bar on the view's
// canonical URL, so reload, back/forward and share links all reproduce the view.
import { fitCharts } from "./fit.js";

const root = document.documentElement;
root.classList.add("js");

let inFlight = null;

/**
 * The page for the form's current state. The server reads it as the form would send it and
 * answers with the view's canonical URL (its `link rel=canonical`), which `load` puts in the
 * address bar, so the ordering and short forms live in one place: the server.
 */
function viewUrl(form) {
  return `/?${new URLSearchParams(new FormData(form))}`;
}

function setStatus(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

/** Fetches the page for `url`, swaps it in, and records it in the history. */
async function load(url, push, restoring = false) {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const focused = document.activeElement;
  const focus = focused && focused.name ? { name: focused.name, value: focused.value } : null;
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "text/html" }, signal: controller.signal });
  } catch (error) {
    if (error.name !== "AbortError") location.assign(url);
    return;
  }
  if (!response.ok) {
    // The server's error page says what is wrong; the controls go back to the view still
    // shown, so they never disagree with the chart, and the message stays beside them.
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const message = page.querySelector("#error-message")?.textContent ?? response.statusText;
    if (!restoring) await load(location.pathname + location.search, false, true);
    setStatus(message);
    return;
  }
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const selector of ["#controls", "#main", "footer.bottom", "link[rel=canonical]", "link[rel=alternate]"]) {
    const fresh = doc.querySelector(selector);
    const old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.importNode(fresh, true));
  }
  document.title = doc.title;
  root.lang = doc.documentElement.lang;
  const theme = doc.documentElement.getAttribute("data-theme");
  if (theme) root.setAttribute("data-theme", theme);
  else root.removeAttribute("data-theme");
  const canonical = new URL(doc.querySelector("link[rel=canonical]")?.getAttribute("href") ?? url, location.href);
  const target = canonical.pathname + canonical.search;
  if (push && target !== location.pathname + location.search) history.pushState(null, "", target);
  enhance();
  if (focus) {
    const selector = focus.name === "country" ? `[name=country][value="${focus.value}"]` : `[name="${focus.name}"]`;
    document.querySelector(`#controls ${selector}`)?.focus();
  }
}

/** Shows one tab's panel; `push` records it in the history. */
function selectTab(name, push) {
  const main = document.getElementById("main");
  if (!main) return;
  main.dataset.tab = name;
  for (const tab of document.querySelectorAll("[role=tab]")) {
    const on = tab.dataset.tab === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
  }
  for (const panel of document.querySelectorAll("[role=tabpanel]")) {
    panel.classList.toggle("active", panel.id === `panel-${name}`);
  }
  const hidden = document.querySelector("#controls [name=tab]");
  if (hidden) hidden.value = name;
  if (push) {
    const url = new URL(location.href);
    if (name === "chart") url.searchParams.delete("tab");
    else url.searchParams.set("tab", name);
    history.pushState(null, "", (url.pathname + url.search).replace(/%7E/gi, "~"));
  }
}

/** Sorts a table by a column; numbers by value, text by locale, blanks last. */
function sortBy(header) {
  const table = header.closest("table");
  const index = [...header.parentElement.children].indexOf(header);
  const numeric = header.dataset.type === "number";
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  for (const th of header.parentElement.children) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const key = (row) => row.children[index]?.dataset.value ?? "";
  const rows = [...body.rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
    const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, root.lang);
    return ascending ? order : -order;
  });
  body.append(...rows);
}

/** What the server-rendered page gets from JavaScript: sort buttons, copy buttons, tabs. */
function enhance() {
  for (const th of document.querySelectorAll("table.sortable thead th")) {
    if (th.querySelector("button")) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.append(button);
  }
  for (const filter of document.querySelectorAll("input[data-filter=country]")) filter.hidden = false;
  if (navigator.clipboard) {
    for (const button of document.querySelectorAll("[data-copy]")) button.hidden = false;
  }
  const main = document.getElementById("main");
  if (main) selectTab(main.dataset.tab || "chart", false);
  fitCharts();
}

document.addEventListener("click", (event) => {
  // A country preset is a link to a view: load it in place, as a control change would.
  const link = event.target.closest("#controls a[data-view]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  setStatus("");
  load(link.getAttribute("href"), true);
});

// The country list filters as one types: by name in the page's language, or by code.
document.addEventListener("input", (event) => {
  if (event.target.dataset?.filter !== "country") return;
  const wanted = event.target.value.trim().toLowerCase();
  for (const label of event.target.parentElement.querySelectorAll("label[data-name]")) {
    label.hidden = wanted !== "" && !label.dataset.name.includes(wanted);
  }
});

document.addEventListener("change", (event) => {
  if (event.target.dataset?.filter === "country") return;
  const form = event.target.closest("#controls");
  if (!form) return;
  if (event.target.name === "country" && !form.querySelector("[name=country]:checked")) {
    event.target.checked = true; // At least one country stays on.
    return;
  }
  setStatus("");
  load(viewUrl(form), true);
});

document.addEventListener("submit", (event) => {
  if (event.target.id !== "controls") return;
  event.preventDefault();
  load(viewUrl(event.target), true);
});

document.addEventListener("click", (event) => {
  const tab = event.target.closest("[role=tab]");
  if (tab) {
    event.preventDefault();
    selectTab(tab.dataset.tab, true);
    return;
  }
  const sort = event.target.closest("th button.sort");
  if (sort) {
    sortBy(sort.parentElement);
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const field = document.getElementById(copy.dataset.copy);
    navigator.clipboard.writeText(field.value).then(() => {
      copy.dataset.done = "true";
      setTimeout(() => delete copy.dataset.done, 1500);
    });
  }
});

document.addEventListener("keydown", (event) => {
  const tab = event.target.closest?.("[role=tab]");
  if (!tab || !["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
  const tabs = [...document.querySelectorAll("[role=tab]")];
  const at = tabs.indexOf(tab);
  const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: tabs.length - 1 }[event.key];
  const target = tabs[(next + tabs.length) % tabs.length];
  event.preventDefault();
  target.focus();
  selectTab(target.dataset.tab, true);
});

window.addEventListener("popstate", () => load(location.pathname + location.search, false));

// On a phone the controls start folded, so the chart is on the first screen.
const panel = document.getElementById("view-controls");
if (panel && window.matchMedia("(max-width: 700px)").matches) panel.open = false;

enhance();
