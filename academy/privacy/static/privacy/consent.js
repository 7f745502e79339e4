/* Cookie consent, progressive enhancement of the banner forms (they also work without script).
 * Loads a purpose's tags only once the visitor allows it; deletes what withdrawn purposes set.
 * No inline script anywhere: this file is served by the site itself (Content Security Policy). */
(function () {
  "use strict";

  function loadScripts(urls) {
    (urls || []).forEach(function (url) {
      if (document.querySelector('script[src="' + url + '"]')) { return; }
      var tag = document.createElement("script");
      tag.src = url;
      tag.defer = true;
      document.body.appendChild(tag);
    });
  }

  function deleteCookies(names) {
    var host = window.location.hostname;
    var domains = ["", host, "." + host];
    var parts = host.split(".");
    if (parts.length > 2) { domains.push("." + parts.slice(-2).join(".")); }
    (names || []).forEach(function (name) {
      domains.forEach(function (domain) {
        document.cookie = name + "=; Max-Age=0; path=/" + (domain ? "; domain=" + domain : "") + "; SameSite=Lax";
      });
    });
  }

  function enhanceBanner(banner) {
    var form = banner.querySelector("[data-consent-form]");
    var choose = banner.querySelector("[data-consent-choose]");
    var choices = banner.querySelector("[data-consent-choices]");
    if (choose && choices) {
      choose.setAttribute("role", "button");
      choose.setAttribute("aria-expanded", "false");
      choose.addEventListener("click", function (event) {
        event.preventDefault();
        choices.hidden = !choices.hidden;
        choose.setAttribute("aria-expanded", choices.hidden ? "false" : "true");
        if (!choices.hidden) {
          var first = choices.querySelector("input");
          if (first) { first.focus(); }
        }
      });
    }
    if (!form || !window.fetch || !window.FormData) { return; }
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (!submitter || !submitter.value) { return; }
      event.preventDefault();
      var data = new FormData(form);
      data.set("choice", submitter.value);
      fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("consent not saved"); }
        return response.json();
      }).then(function (result) {
        deleteCookies(result.delete_cookies);
        loadScripts(result.scripts);
        banner.parentNode.removeChild(banner);
      }).catch(function () {
        form.submit();
      });
    });
  }

  function start() {
    var banner = document.querySelector("[data-consent-banner]");
    if (banner) { enhanceBanner(banner); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
