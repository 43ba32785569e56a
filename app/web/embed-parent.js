// Parent-page helper for the hosted screener iframe. Load it on the clinic page with
//   <iframe src="https://SCREENER/embed/CLINIC" title="Pelvic health check" data-hps-embed></iframe>
//   <script src="https://SCREENER/widget/v1/embed-parent.js" defer></script>
// It resizes each such iframe from {type: "hps:height", height} messages, accepted only from
// that iframe's window and its exact origin.
(function () {
  "use strict";
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-hps-embed]"));
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== "hps:height") return;
    if (typeof data.height !== "number" || !isFinite(data.height) || data.height < 0 || data.height > 20000) return;
    frames().forEach(function (frame) {
      var origin;
      try {
        origin = new URL(frame.src, window.location.href).origin;
      } catch (error) {
        return;
      }
      if (frame.contentWindow === event.source && event.origin === origin) {
        frame.style.height = Math.ceil(data.height) + "px";
        frame.setAttribute("data-hps-height", String(Math.ceil(data.height)));
      }
    });
  });
})();
