/* Example of a consent-gated tag, shipped for integrators and used by the browser tests.
 * Listed under ACADEMY_CONSENT_TAGS["audience"]["scripts"] it runs only once the visitor has
 * allowed audience measurement, and sets the cookie named in ["cookies"]. */
(function () {
  "use strict";
  document.cookie = "academy_example_audience=1; Max-Age=15552000; path=/; SameSite=Lax";
}());
