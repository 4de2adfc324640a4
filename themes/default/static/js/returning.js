// Loaded in the <head> of the referral page, before the first paint: when this browser holds the patient's
// own code (saved by refer.js), marks <html> so css/site.css gives the share panel its room from the start.
// refer.js fills the panel in later without moving anything below it. Reads storage only; writes nothing.
(function () {
  "use strict";
  var FORMAT = /^[A-HJ-NP-Z2-9]{8}$/;
  try {
    var kept = JSON.parse(window.localStorage.getItem("sitegen-referral-mine") || "null");
    var old = window.localStorage.getItem("sitegen-referral-code");
    if ((kept && FORMAT.test(kept.code || "")) || FORMAT.test(old || "")) {
      document.documentElement.classList.add("has-referral-code");
    }
  } catch (e) { /* storage off: no saved code, nothing to make room for */ }
})();
