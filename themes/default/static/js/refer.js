// The referral journey in the browser, for the referring patient (uses referral.js, loaded before it).
// - On enrolment, make the patient's personal code here, from crypto-grade randomness: 7 characters from
//   an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read aloud, and a check character
//   (see referral.js); 31^7 codes, so two patients practically never collide; nothing in it is derived
//   from the patient. Every enrolment makes a new code, unless this device already holds the code of
//   the same first name and email; the panel's "Not you?" forgets a code kept on a shared device.
// - Show the personal link (/r/CODE where this host forwards it, else the welcome page's address: see
//   hostForwards) with share by email, text message, the Web Share API, copy, a QR code, an
//   email to oneself (to find the link again on another device) and a printable personal card. During a
//   campaign the link carries its utm_campaign (the panel's data-link-query).
// Messages are in English here; a page in another language carries their translations in the share
// panel's data-msg-* attributes (written by partials/share.html).
(function () {
  "use strict";

  var R = window.sitegenReferral;
  if (!R) return;
  var MINE = "sitegen-referral-mine";
  var OLD = "sitegen-referral-code"; // before codes had a check character: a bare string
  var EMAIL = "sitegen-referral-email";

  function mine() {
    var kept = R.load(MINE);
    if (kept && R.FORMAT.test(kept.code || "")) return kept;
    try {
      var old = window.localStorage.getItem(OLD);
      if (old && R.FORMAT.test(old)) return { code: old, name: "" };
    } catch (e) { /* storage off */ }
    return null;
  }

  // who enrolled on this device, without keeping their email here: a 32-bit FNV-1a hash of first name and
  // email, enough to tell two people apart, too short to say much about either
  function fingerprint(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { hash ^= text.charCodeAt(i); hash = Math.imul(hash, 0x01000193) >>> 0; }
    return hash.toString(36);
  }

  function forget() {
    R.store(MINE, null);
    try { window.localStorage.removeItem(OLD); } catch (e) { /* storage off */ }
  }

  function text(panel, name, english, values) {
    var message = panel.getAttribute("data-msg-" + name) || english;
    return message.replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  // The QR library (57 KB) is fetched only when there is a code to draw: a script element added here, from
  // this site (the box's data-qr-script, a fingerprinted /assets/ address), so a strict CSP allows it.
  function drawQr(box, link, label) {
    if (!box) return;
    if (typeof window.qrcode === "function") { paintQr(box, link, label); return; }
    var src = box.getAttribute("data-qr-script");
    if (!src) return;
    var script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", function () {
      if (typeof window.qrcode === "function") paintQr(box, link, label);
    });
    document.head.appendChild(script);
  }

  function paintQr(box, link, label) {
    var qr = window.qrcode(0, "M");
    qr.addData(link);
    qr.make();
    var count = qr.getModuleCount();
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var size = count + 8;
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("width", box.getAttribute("data-qr-size") || "220");
    svg.setAttribute("height", box.getAttribute("data-qr-size") || "220");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    var background = document.createElementNS(ns, "rect");
    background.setAttribute("width", String(size));
    background.setAttribute("height", String(size));
    background.setAttribute("fill", "#fff");
    svg.appendChild(background);
    var d = "";
    for (var r = 0; r < count; r++) {
      for (var c = 0; c < count; c++) {
        if (qr.isDark(r, c)) d += "M" + (c + 4) + " " + (r + 4) + "h1v1h-1z";
      }
    }
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "#000");
    svg.appendChild(path);
    box.textContent = "";
    box.appendChild(svg);
  }

  // Does this host lead /r/CODE to the welcome page? It does where `_redirects` is applied (Netlify,
  // Cloudflare Pages, `sitegen serve`: the answer is the welcome page) or where missing addresses get the
  // site's 404.html (GitHub Pages, a configured S3 or web server: its script forwards). A plain server
  // (`python -m http.server`, S3 without an error document) answers with its own error: the link is then
  // the welcome page's own address, longer but working everywhere, with or without JavaScript.
  // Asked once per browser session, with a request to this site only.
  var SHORT = "sitegen-referral-short-links";
  function hostForwards(holder, code, show) {
    var prefix = holder.getAttribute("data-link-prefix") || "";
    var query = holder.getAttribute("data-link-query") || "";
    var key = SHORT + (query ? "-with-query" : ""), known = null;
    try { known = window.sessionStorage.getItem(key); } catch (e) { /* storage off */ }
    show(known !== "0"); // at once: the short link, unless this host is known not to forward it
    if (known === "1" || known === "0" || !window.fetch) return;
    window.fetch(prefix + "/r/" + code + (query ? "?" + query : ""), { cache: "no-store", credentials: "same-origin" }).then(function (answer) {
      // the welcome page with this very code, and the campaign's query (a host that mangles the rule's
      // placeholder, or drops the query, fails here)
      if (answer.redirected && answer.url.indexOf("/welcome/?ref=" + code) >= 0 && answer.url.indexOf(query) >= 0) return true;
      return answer.text().then(function (body) { return body.indexOf("data-not-found") >= 0; });
    }).then(function (ok) {
      try { window.sessionStorage.setItem(key, ok ? "1" : "0"); } catch (e) { /* storage off */ }
      if (!ok) show(false);
    }, function () { /* offline: keep the short link */ });
  }

  function personalLink(holder, code, short) {
    // a patient on /es/refer/ shares /es/r/<code>: their friend lands in the same language
    var query = holder.getAttribute("data-link-query");
    var prefix = window.location.origin + (holder.getAttribute("data-link-prefix") || "");
    if (!short) return prefix + "/welcome/?ref=" + code + (query ? "&" + query : "");
    return prefix + "/r/" + code + (query ? "?" + query : "");
  }

  function showLink(panel, kept) {
    var code = kept.code;
    var link = "";
    var fill = function (text) { return (text || "").split("{link}").join(link); };
    var email = "";
    try { email = window.sessionStorage.getItem(EMAIL) || ""; } catch (e) { /* storage off */ }
    function setLink(short) {
      link = personalLink(panel, code, short);
      panel.querySelector("[data-link-field]").value = link;
      panel.querySelector("[data-share-email]").href = "mailto:?subject=" + encodeURIComponent(panel.getAttribute("data-email-subject")) +
        "&body=" + encodeURIComponent(fill(panel.getAttribute("data-email-body")));
      panel.querySelector("[data-share-sms]").href = "sms:?&body=" + encodeURIComponent(fill(panel.getAttribute("data-sms-text")));
      panel.querySelector("[data-email-self]").href = "mailto:" + encodeURIComponent(email) +
        "?subject=" + encodeURIComponent(text(panel, "self-subject", "My referral link")) +
        "&body=" + encodeURIComponent(text(panel, "self-body", "My personal referral link: {link} (my code: {code})", { link: link, code: R.readable(code) }));
      drawQr(panel.querySelector("[data-qr]"), link, text(panel, "qr", "QR code of your link {link}", { link: link }));
    }
    panel.querySelector("[data-code-display]").textContent = R.readable(code);
    var card = panel.querySelector("[data-print-card]");
    card.href = card.getAttribute("href").split("?")[0] + "?code=" + code;
    var owner = panel.querySelector("[data-owner]");
    if (owner && kept.name) { owner.querySelector("[data-owner-name]").textContent = kept.name; owner.hidden = false; }
    panel.querySelector("[data-forget]").addEventListener("click", function () {
      forget();
      panel.hidden = true;
      document.documentElement.classList.remove("has-referral-code"); // returning.js kept the panel's room
      var enroll = document.querySelector("form[data-sitegen-form=enroll]");
      if (enroll && enroll.elements.first_name) enroll.elements.first_name.focus();
    });
    var status = panel.querySelector("[data-copy-status]");
    panel.querySelector("[data-copy]").addEventListener("click", function () {
      var done = function () { status.textContent = text(panel, "copied", "Link copied. Paste it into a message to a friend."); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(link).then(done, function () {
          panel.querySelector("[data-link-field]").select();
          status.textContent = text(panel, "select", "Select the link above and copy it.");
        });
      } else {
        panel.querySelector("[data-link-field]").select();
        status.textContent = text(panel, "select", "Select the link above and copy it.");
      }
    });
    var share = panel.querySelector("[data-web-share]");
    if (navigator.share) {
      share.hidden = false;
      share.addEventListener("click", function () {
        navigator.share({ title: document.title, text: fill(panel.getAttribute("data-sms-text")).replace(link, "").trim(), url: link })
          .catch(function () { /* the patient closed the share sheet */ });
      });
    }
    hostForwards(panel, code, setLink);
    panel.hidden = false;
  }

  var panel = document.getElementById("my-link");
  var enroll = document.querySelector("form[data-sitegen-form=enroll]");
  if (enroll) {
    enroll.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // the form still has mistakes
      var name = String(enroll.elements.first_name.value || "").trim();
      var who = fingerprint(name.toLowerCase() + "\n" + String(enroll.elements.email.value || "").trim().toLowerCase());
      var kept = mine();
      // the same patient (first name and email) enrolling again keeps their code; anyone else on this
      // device gets their own, two family members of the same first name too
      var code = kept && kept.who === who ? kept.code : R.makeCode();
      enroll.elements.referral_code.value = code;
      R.store(MINE, { code: code, name: name.slice(0, 40), who: who });
      try { window.localStorage.removeItem(OLD); } catch (e) { /* storage off */ }
      try { window.sessionStorage.setItem(EMAIL, String(enroll.elements.email.value || "").trim().slice(0, 100)); } catch (e) { /* storage off */ }
    });
  }
  var kept = mine();
  if (panel && kept) showLink(panel, kept);
  // "invite a friend directly" is credited to this device's patient, as their shared link would be
  var invite = document.querySelector("form[data-sitegen-form=refer]");
  if (invite && kept && invite.elements.referral_code && !invite.elements.referral_code.value) {
    invite.elements.referral_code.value = kept.code;
  }
  var missing = document.querySelector("[data-no-code]");
  if (missing && kept) missing.hidden = true;

  // the personal print card: the code from the address (?code=) or this device, and its QR code
  var card = document.querySelector("[data-personal-card]");
  if (card) {
    var asked = R.normalize(new URLSearchParams(window.location.search).get("code"));
    var code = R.FORMAT.test(asked) ? asked : kept && kept.code;
    if (code) hostForwards(card, code, function (short) {
      var link = personalLink(card, code, short);
      card.querySelector("[data-code-display]").textContent = R.readable(code);
      card.querySelector("[data-link-display]").textContent = link.replace(/^https?:\/\//, "");
      drawQr(card.querySelector("[data-qr]"), link, text(card, "qr", "QR code of your link {link}", { link: link }));
      card.hidden = false;
    });
    var print = card.querySelector("[data-print]");
    if (code && print) print.addEventListener("click", function () { window.print(); });
  }
})();
