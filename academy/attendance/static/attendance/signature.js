/* Signature pad: records strokes drawn with finger, pen or mouse as vector points and puts them,
   as JSON {"width", "height", "strokes": [[[x, y], ...], ...]}, in the form's hidden "strokes"
   field. No inline script: loaded as a static file (Content Security Policy). */
(function () {
  "use strict";

  function setUp(pad) {
    var canvas = pad.querySelector("canvas");
    var input = pad.querySelector("[data-signature-strokes]");
    var clear = pad.querySelector("[data-signature-clear]");
    var form = pad.closest("form");
    var context = canvas.getContext("2d");
    var strokes = [];
    var current = null;

    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#0b2545";

    function point(event) {
      var rect = canvas.getBoundingClientRect();
      var x = (event.clientX - rect.left) * canvas.width / rect.width;
      var y = (event.clientY - rect.top) * canvas.height / rect.height;
      x = Math.max(0, Math.min(canvas.width, x));
      y = Math.max(0, Math.min(canvas.height, y));
      return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
    }

    function sync() {
      input.value = strokes.length ? JSON.stringify({ width: canvas.width, height: canvas.height, strokes: strokes }) : "";
      pad.classList.toggle("has-signature", strokes.length > 0);
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
      current = [point(event)];
      strokes.push(current);
      context.beginPath();
      context.moveTo(current[0][0], current[0][1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!current) { return; }
      event.preventDefault();
      var p = point(event);
      current.push(p);
      context.lineTo(p[0], p[1]);
      context.stroke();
    });
    function end() {
      if (current) { current = null; sync(); }
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    if (clear) {
      clear.addEventListener("click", function () {
        strokes = [];
        context.clearRect(0, 0, canvas.width, canvas.height);
        sync();
      });
    }
    if (form) {
      form.addEventListener("submit", function (event) {
        sync();
        var missing = pad.querySelector("[data-signature-missing]");
        if (!input.value) {
          event.preventDefault();
          pad.classList.add("missing");
          if (missing) { missing.hidden = false; }
          canvas.focus();
        } else if (missing) {
          missing.hidden = true;
        }
      });
    }
  }

  document.querySelectorAll("[data-signature-pad]").forEach(setUp);
})();
