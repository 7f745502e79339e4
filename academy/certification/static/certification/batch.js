/* Staff certificates page: poll the running batch's progress and reload the page when it ends. */
(function () {
  "use strict";
  var box = document.querySelector("[data-batch-progress]");
  if (!box) { return; }
  var url = box.getAttribute("data-batch-progress");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-batch-text]");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress_pct;
        text.textContent = (data.done + data.skipped) + " / " + data.total;
        if (data.status === "done" || data.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
