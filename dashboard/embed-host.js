// indikator embed, host side: resizes each indikator iframe to the height it reports.
// Include once on the page that holds the iframes (the oEmbed and embed snippets do).
(function () {
  "use strict";
  if (window.__indikatorEmbedHost) return;
  window.__indikatorEmbedHost = true;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "indikator:resize" || typeof data.height !== "number") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(50, Math.min(data.height, 5000)) + "px";
        frames[i].setAttribute("height", String(Math.max(50, Math.min(data.height, 5000))));
      }
    }
  });
})();
