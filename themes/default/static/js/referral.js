// The referral code in the browser, on every page of a site with a referral program.
// - Codes: 8 characters from an alphabet without look-alikes; the 8th is a check character, chosen so that
//   the sum of (position 1..8) x (index in the alphabet) is a multiple of 31. Every single mistyped
//   character and every swap of two neighbours is detected. sitegen/site/refcode.py does the same.
// - The invited friend's code travels: a `ref` in the address is kept in this browser's localStorage
//   (with the landing page and UTM tags) for the program's success window, then filled into every form
//   that can start a visit (any form with a referral_code or referred_by field, except the program's own
//   enrol / invite / feedback forms). It is removed when the friend's own request is sent.
// - A personal link /r/CODE that reached the "page not found" page (a host without `_redirects`) is
//   forwarded to the welcome page with the code.
// Nothing here is written into the page as HTML: codes and addresses only ever become text or values.
(function () {
  "use strict";

  var ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  var N = 31;
  var FORMAT = /^[A-HJ-NP-Z2-9]{8}$/;
  var INVITE = "sitegen-referral-invite";
  var PROGRAM_FORMS = { enroll: true, refer: true, feedback: true };
  var UTM = ["utm_source", "utm_medium", "utm_campaign"];
  var script = document.currentScript;
  var keepDays = Number((script && script.getAttribute("data-keep-days")) || 90);

  function normalize(typed) { return String(typed || "").replace(/[\s\-_.]+/g, "").toUpperCase(); }

  function weightedSum(code) {
    var sum = 0;
    for (var i = 0; i < code.length; i++) sum += (i + 1) * ALPHABET.indexOf(code.charAt(i));
    return sum % N;
  }

  function checkCharacter(payload) { return ALPHABET.charAt(((-4 * weightedSum(payload)) % N + N) % N); }

  function isValid(code) { code = normalize(code); return FORMAT.test(code) && weightedSum(code) === 0; }

  // the code a mistyped one most probably meant: the only valid swap of two neighbours, or null
  function suggest(typed) {
    var code = normalize(typed);
    if (isValid(code)) return code;
    if (!FORMAT.test(code)) return null;
    var found = null, count = 0;
    for (var i = 0; i < code.length - 1; i++) {
      var swapped = code.slice(0, i) + code.charAt(i + 1) + code.charAt(i) + code.slice(i + 2);
      if (swapped !== code && isValid(swapped) && swapped !== found) { found = swapped; count++; }
    }
    return count === 1 ? found : null;
  }

  function makeCode() {
    var bytes = new Uint8Array(16);
    var payload = "";
    while (payload.length < 7) {
      window.crypto.getRandomValues(bytes);
      for (var i = 0; i < bytes.length && payload.length < 7; i++) {
        if (bytes[i] < 248) payload += ALPHABET.charAt(bytes[i] % 31); // 248 = 8 * 31: no bias
      }
    }
    return payload + checkCharacter(payload);
  }

  function readable(code) { return code.length === 8 ? code.slice(0, 4) + "-" + code.slice(4) : code; }

  function load(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function store(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key); else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage off (private mode): the code still works on this page */ }
  }

  function invite() {
    var kept = load(INVITE);
    if (!kept || !FORMAT.test(kept.code || "")) return null;
    if (Date.now() - Number(kept.at) > keepDays * 864e5) { store(INVITE, null); return null; }
    return kept;
  }

  window.sitegenReferral = {
    normalize: normalize, checkCharacter: checkCharacter, isValid: isValid, suggest: suggest,
    makeCode: makeCode, readable: readable, load: load, store: store, invite: invite, FORMAT: FORMAT,
  };

  // /r/CODE (or /es/r/CODE) shown as "page not found": the host did not apply `_redirects`
  var link = window.location.pathname.match(/^(\/[a-z]{2}(?:-[a-z]{2})?)?\/r\/([A-Za-z0-9-]{4,20})\/?$/);
  if (link && document.querySelector("[data-not-found]")) {
    var query = window.location.search.replace(/^\?/, "");
    window.location.replace((link[1] || "") + "/welcome/?ref=" + encodeURIComponent(normalize(link[2])) + (query ? "&" + query : ""));
    return;
  }

  // a friend's link: keep the code, where they landed and the campaign
  var params = new URLSearchParams(window.location.search);
  var ref = normalize(params.get("ref"));
  if (FORMAT.test(ref)) {
    var kept = { code: ref, at: Date.now(), landing: window.location.pathname.slice(0, 100) };
    UTM.forEach(function (name) { kept[name] = String(params.get(name) || "").trim().slice(0, 100); });
    store(INVITE, kept);
  }
  var current = invite();

  // messages in the page's language, written by partials/referral-script.html on this script's element
  function text(name, english, values) {
    var message = (script && script.getAttribute("data-msg-" + name)) || english;
    return message.replace(/\{(\w+)\}/g, function (all, key) { return values && values[key] !== undefined ? values[key] : all; });
  }

  // a code typed by hand is checked as it is typed: never blocking, only a hint
  function watchTyped(field) {
    var hint = document.createElement("p");
    hint.className = "help code-hint";
    hint.setAttribute("role", "status");
    hint.setAttribute("data-code-hint", "");
    field.parentNode.insertBefore(hint, field.nextSibling);
    function check() {
      var typed = normalize(field.value);
      hint.textContent = "";
      if (typed.length !== 8 || !/^[A-Z0-9]+$/.test(typed) || isValid(typed)) return;
      var better = suggest(typed);
      hint.textContent = better
        ? text("code-suggest", "This code looks mistyped. Did you mean {code}?", { code: readable(better) })
        : text("code-invalid", "This code looks mistyped: please check it, or write your friend's name instead.");
    }
    field.addEventListener("input", check);
    check();
  }

  var forms = document.querySelectorAll("form[data-sitegen-form]");
  Array.prototype.forEach.call(forms, function (form) {
    if (PROGRAM_FORMS[form.getAttribute("data-sitegen-form")]) return;
    var code = form.elements.namedItem("referral_code");
    var typed = form.elements.namedItem("referred_by");
    if (!code && !typed) return;
    if (current) {
      if (code && !code.value) code.value = current.code;
      if (typed && !typed.value) typed.value = readable(current.code);
      UTM.forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field && !field.value && current[name]) field.value = current[name];
      });
      var landing = form.elements.namedItem("landing_page");
      if (landing && current.landing) landing.value = current.landing;
    }
    if (typed) watchTyped(typed);
    form.addEventListener("submit", function (event) {
      if (!event.defaultPrevented) store(INVITE, null); // the friend's own request carries the code now
    });
  });

  // the welcome page tells the friend their invitation is in the form
  var invited = document.querySelector("[data-invited]");
  if (invited) {
    var shown = FORMAT.test(ref) ? ref : current && current.code;
    if (shown) {
      invited.querySelector("[data-invite-code]").textContent = readable(shown);
      invited.hidden = false;
    }
  }
})();
