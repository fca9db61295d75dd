// indikator embed: tells the host page how tall this embed is, so its iframe fits the chart.
// The host listens with embed-host.js.
(function () {
  "use strict";
  function post() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ type: "indikator:resize", height: height, href: location.href }, "*");
  }
  window.addEventListener("load", post);
  window.addEventListener("resize", post);
  if (window.ResizeObserver) new ResizeObserver(post).observe(document.documentElement);
  post();
})();
