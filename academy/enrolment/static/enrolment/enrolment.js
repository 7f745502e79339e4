// Enrolment form: add/remove trainees without a round trip, "myself" mode, and say beforehand
// what happens when the group is larger than the seats left. Works without it too.
(function () {
  "use strict";
  var form = document.querySelector("form.enrolment-form");
  if (!form) { return; }
  var seatsLeft = parseInt(form.dataset.seatsLeft, 10);
  var maxTrainees = parseInt(form.dataset.maxTrainees, 10);
  var container = document.getElementById("trainee-forms");
  var template = document.getElementById("trainee-template");
  var total = form.querySelector("input[name='trainees-TOTAL_FORMS']");
  var addButton = form.querySelector("button.add-trainee");
  var overflow = document.getElementById("overflow");
  var warning = document.getElementById("overflow-warning");
  var defaultWarning = warning ? warning.textContent : "";

  function forSelf() {
    var checked = form.querySelector("input[name='for_whom']:checked");
    return checked && checked.value === "self";
  }

  function renumber() {
    var rows = container.querySelectorAll("fieldset.trainee");
    rows.forEach(function (row, index) {
      var number = row.querySelector(".trainee-number");
      if (number) { number.textContent = String(index + 1); }
    });
    total.value = String(rows.length);
    return rows.length;
  }

  function update() {
    var self = forSelf();
    var rows = container.querySelectorAll("fieldset.trainee");
    rows.forEach(function (row, index) {
      if (index > 0) { row.hidden = self; row.disabled = self; }
    });
    var first = rows[0] && rows[0].querySelector(".trainee-identity");
    if (first) { first.hidden = self; }
    addButton.hidden = self;
    var count = self ? 1 : rows.length;
    total.value = String(count);
    var tooMany = count > seatsLeft;
    overflow.hidden = !tooMany;
    if (tooMany && warning && form.dataset.msgOverflow) {
      // Plural on both numbers: the seats by the template, the group size here (one person or more).
      var message = count === 1 && form.dataset.msgOverflowOne ? form.dataset.msgOverflowOne : form.dataset.msgOverflow;
      warning.textContent = message.replace("%(count)s", String(count));
    } else if (warning) {
      warning.textContent = defaultWarning;
    }
  }

  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    var count = container.querySelectorAll("fieldset.trainee").length;
    if (count >= maxTrainees) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(count));
    container.insertAdjacentHTML("beforeend", html);
    renumber();
    update();
    var added = container.querySelectorAll("fieldset.trainee")[count];
    var input = added.querySelector("input");
    if (input) { input.focus(); }
  });

  container.addEventListener("click", function (event) {
    if (!event.target.classList.contains("remove-trainee")) { return; }
    event.preventDefault();
    event.target.closest("fieldset.trainee").remove();
    // Renumber field names so the formset stays contiguous.
    container.querySelectorAll("fieldset.trainee").forEach(function (row, index) {
      row.querySelectorAll("[name^='trainees-'], [id^='id_trainees-'], label[for^='id_trainees-']").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) { el.setAttribute(attr, value.replace(/trainees-\d+-/, "trainees-" + index + "-")); }
        });
      });
    });
    renumber();
    update();
  });

  form.querySelectorAll("input[name='for_whom']").forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
})();
