/* Trainer's room page: reload the QR code image so the signed code rotates; reload the page when
   the half-day closes (the server then stops issuing codes). */
(function () {
  "use strict";
  var image = document.querySelector("[data-room-qr]");
  if (!image) { return; }
  var seconds = parseInt(image.getAttribute("data-refresh-seconds"), 10) || 30;
  var base = image.getAttribute("src").split("?")[0];
  // When the half-day closes the server stops issuing codes: reload (after a pause) to say so.
  image.addEventListener("error", function () { window.setTimeout(function () { window.location.reload(); }, 5000); });
  window.setInterval(function () {
    image.setAttribute("src", base + "?t=" + Date.now());
  }, seconds * 1000);
})();
