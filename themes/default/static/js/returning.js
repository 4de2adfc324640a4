// Loaded in the <head> of the referral and welcome pages, before the first paint, so what referral.js and
// refer.js reveal later moves nothing: marks <html> with
// - has-referral-code when this browser holds the patient's own code (saved by refer.js): css/site.css
//   gives the share panel of /refer/ its room from the start;
// - has-invite when the address carries a friend's code (?ref=) or this browser keeps one (referral.js):
//   the welcome page's "your invitation code is in the form" line keeps its room.
// Reads the address and storage only; writes nothing.
(function () {
  "use strict";
  var FORMAT = /^[A-HJ-NP-Z2-9]{8}$/;
  var root = document.documentElement;
  function stored(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  var mine = stored("sitegen-referral-mine");
  var old = null;
  try { old = window.localStorage.getItem("sitegen-referral-code"); } catch (e) { /* storage off */ }
  if ((mine && FORMAT.test(mine.code || "")) || FORMAT.test(old || "")) root.classList.add("has-referral-code");
  var ref = String(new URLSearchParams(window.location.search).get("ref") || "").replace(/[\s\-_.]+/g, "").toUpperCase();
  var invite = stored("sitegen-referral-invite");
  if (FORMAT.test(ref) || (invite && FORMAT.test(invite.code || ""))) root.classList.add("has-invite");
})();
