// The referral journey in the browser.
// - On enrolment, make the patient's personal code here, from crypto-grade randomness: 8 characters
//   from an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read aloud; 31^8 codes, so two
//   patients practically never collide; nothing in it is derived from the patient.
// - Show the personal link with share by email, text message, the Web Share API, copy, and a QR code.
// - On the friend's welcome page, show the invitation code taken from the address, as text only.
// Messages are in English here; a page in another language carries their translations in the share
// panel's data-msg-* attributes (written by partials/share.html).
(function () {
  "use strict";

  var ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  var STORE = "sitegen-referral-code";
  var CODE = /^[A-HJ-NP-Z2-9]{8}$/;

  function makeCode() {
    var bytes = new Uint8Array(16);
    var code = "";
    while (code.length < 8) {
      window.crypto.getRandomValues(bytes);
      for (var i = 0; i < bytes.length && code.length < 8; i++) {
        if (bytes[i] < 248) code += ALPHABET[bytes[i] % 31]; // 248 = 8 * 31: no bias
      }
    }
    return code;
  }

  function savedCode() {
    try {
      var code = window.localStorage.getItem(STORE);
      return code && CODE.test(code) ? code : null;
    } catch (e) { return null; }
  }

  function saveCode(code) {
    try { window.localStorage.setItem(STORE, code); } catch (e) { /* private mode: the link still shows */ }
  }

  function text(panel, name, english, values) {
    var message = panel.getAttribute("data-msg-" + name) || english;
    return message.replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function readable(code) { return code.slice(0, 4) + "-" + code.slice(4); }

  function drawQr(box, link, label) {
    if (!box || typeof window.qrcode !== "function") return;
    var qr = window.qrcode(0, "M");
    qr.addData(link);
    qr.make();
    var count = qr.getModuleCount();
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var size = count + 8;
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("width", "220");
    svg.setAttribute("height", "220");
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

  function showLink(panel, code) {
    // a patient on /es/refer/ shares /es/r/<code>: their friend lands in the same language
    var link = window.location.origin + (panel.getAttribute("data-link-prefix") || "") + "/r/" + code;
    var fill = function (text) { return (text || "").split("{link}").join(link); };
    panel.querySelector("[data-code-display]").textContent = readable(code);
    panel.querySelector("[data-link-field]").value = link;
    panel.querySelector("[data-share-email]").href = "mailto:?subject=" + encodeURIComponent(panel.getAttribute("data-email-subject")) +
      "&body=" + encodeURIComponent(fill(panel.getAttribute("data-email-body")));
    panel.querySelector("[data-share-sms]").href = "sms:?&body=" + encodeURIComponent(fill(panel.getAttribute("data-sms-text")));
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
    drawQr(panel.querySelector("[data-qr]"), link, text(panel, "qr", "QR code of your link {link}", { link: link }));
    panel.hidden = false;
  }

  var panel = document.getElementById("my-link");
  var enroll = document.querySelector("form[data-sitegen-form=enroll]");
  if (enroll) {
    enroll.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return; // the form still has mistakes
      var code = savedCode() || makeCode();
      enroll.elements.referral_code.value = code;
      saveCode(code);
    });
  }
  if (panel && savedCode()) showLink(panel, savedCode());

  var invited = document.querySelector("[data-invited]");
  if (invited) {
    var ref = new URLSearchParams(window.location.search).get("ref");
    if (ref && CODE.test(ref.replace("-", "").toUpperCase())) {
      invited.querySelector("[data-invite-code]").textContent = readable(ref.replace("-", "").toUpperCase());
      invited.hidden = false;
    }
  }
})();
