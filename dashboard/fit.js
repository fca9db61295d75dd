// indikator: draws each chart for the width it is shown at. The server draws a page's chart
// for the desktop column; shown narrower (a phone, an article's column), its text would
// shrink with it. This asks the server for the same view at the width shown, so the text
// stays at its drawn size (never under 12 px), and the layout (legend, ticks, wrapping)
// follows the width. Without JavaScript the drawn chart scales to fit.

/**
 * The size to draw a chart shown `shown` pixels wide: whole tens, never wider than shown.
 * The server draws the page's chart at chartSize(990) (`PAGE_CHART` in handlers/pages.rs),
 * so a desktop column does not ask again; change both together.
 */
export function chartSize(shown) {
  const width = Math.max(200, Math.min(4000, Math.floor(shown / 10) * 10));
  const height = width < 600
    ? Math.round(Math.min(640, Math.max(380, width * 1.25)))
    : Math.round(Math.min(640, Math.max(360, width * 0.62)));
  return { width, height };
}

/** Redraws `figure` (with `data-src`, `data-width` and `[data-theme-chart]` holders). */
async function fit(figure) {
  const shown = figure.clientWidth;
  if (!shown || !figure.dataset.src) return;
  const { width, height } = chartSize(shown);
  if (String(width) === figure.dataset.width) return;
  figure.dataset.width = String(width);
  for (const holder of figure.querySelectorAll("[data-theme-chart]")) {
    const url = new URL(figure.dataset.src, location.href);
    url.searchParams.set("width", width);
    url.searchParams.set("height", height);
    url.searchParams.set("theme", holder.dataset.themeChart);
    let response;
    try {
      response = await fetch(url);
    } catch {
      return;
    }
    if (!response.ok) return;
    const svg = await response.text();
    // A later size (the window turned) has been asked for since: that one wins.
    if (figure.dataset.width !== String(width)) return;
    // The server's own SVG of this view, its text escaped by the renderer.
    holder.innerHTML = svg;
  }
  figure.dispatchEvent(new CustomEvent("indikator:fitted", { bubbles: true }));
}

const watched = new WeakSet();

/** Fits every chart under `root` now and whenever its box changes width. */
export function fitCharts(root = document) {
  const figures = root.querySelectorAll("figure[data-src]");
  for (const figure of figures) {
    fit(figure);
    if (window.ResizeObserver && !watched.has(figure)) {
      watched.add(figure);
      // Each figure waits for its own box to settle (a window being dragged wider).
      let pending = 0;
      new ResizeObserver(() => {
        clearTimeout(pending);
        pending = setTimeout(() => fit(figure), 150);
      }).observe(figure);
    }
  }
}
