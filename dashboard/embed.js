// indikator embed: draws the chart for the width the iframe has (fit.js), and tells the host
// page how tall this embed is, so its iframe fits the chart. The host listens with
// embed-host.js.
import { fitCharts } from "./fit.js";

function post() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "indikator:resize", height, href: location.href }, "*");
}
window.addEventListener("load", post);
window.addEventListener("resize", post);
if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
fitCharts();
post();
