// Forms: clear, announced error messages on top of the browser's own validation, and hidden tracking
// fields filled from the page address. Values from the address are only ever set as field values
// (never as HTML), trimmed and cut short, so a crafted link cannot inject anything into the page.
// Messages are in English here; a page in another language carries their translations in the form's
// data-msg-* attributes (written by partials/form.html), with {placeholders} filled in below.
(function () {
  "use strict";

  var MAX_PARAM_LENGTH = 100;

  function text(form, name, english, values) {
    var message = (form && form.getAttribute("data-msg-" + name)) || english;
    return message.replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function labelText(field) {
    var form = field.form;
    var label = field.labels && field.labels[0];
    if (!label && field.closest) {
      var group = field.closest("fieldset");
      label = group && group.querySelector("legend");
    }
    return label ? label.textContent.replace(text(form, "required", "(required)"), "").trim() : text(form, "this-field", "This field");
  }

  function messageFor(field) {
    var form = field.form;
    var v = field.validity;
    var name = { name: labelText(field) };
    if (v.valueMissing) {
      if (field.type === "checkbox") return text(form, "tick", "Please tick this box to continue.");
      if (field.type === "radio" || field.tagName === "SELECT") return text(form, "choose", "Please choose an answer for “{name}”.", name);
      return text(form, "fill", "Please fill in “{name}”.", name);
    }
    if (v.typeMismatch && field.type === "email") return text(form, "email", "Please enter an email address like name@example.com.");
    if (v.typeMismatch) return text(form, "format", "Please check the format of “{name}”.", name);
    if (v.customError) return field.validationMessage;
    return field.validationMessage || text(form, "check", "Please check “{name}”.", name);
  }

  function errorBox(form, field) {
    return document.getElementById(form.getAttribute("data-sitegen-form") + "-" + field.name + "-error");
  }

  function show(form, field, message) {
    var box = errorBox(form, field);
    var group = form.querySelectorAll("[name='" + CSS.escape(field.name) + "']");
    for (var i = 0; i < group.length; i++) {
      if (message) group[i].setAttribute("aria-invalid", "true"); else group[i].removeAttribute("aria-invalid");
    }
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  // "A or B", "A, B, or C"; in Spanish "o" becomes "u" before a word that starts with its sound ("correo u
  // otro teléfono"): the browser's Intl.ListFormat knows each language's rules, the catalogue's "or" is the fallback
  function either(form, labels) {
    if (window.Intl && Intl.ListFormat) {
      try {
        return new Intl.ListFormat(document.documentElement.lang || undefined, { type: "disjunction" }).format(labels);
      } catch (e) { /* a language the browser does not know */ }
    }
    return labels.join(" " + text(form, "or", "or") + " ");
  }

  function oneOf(form) {
    var names = (form.getAttribute("data-one-of") || "").split(" ").filter(Boolean);
    return names.map(function (n) { return form.elements[n]; }).filter(Boolean);
  }

  function checkOneOf(form) {
    var fields = oneOf(form);
    if (!fields.length) return;
    var filled = fields.some(function (f) { return f.value.trim() !== ""; });
    var labels = either(form, fields.map(labelText));
    var message = text(form, "give", "Please give {fields}.", { fields: labels });
    fields.forEach(function (f) { f.setCustomValidity(filled ? "" : message); });
  }

  function validate(form) {
    checkOneOf(form);
    var invalid = [];
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit" || seen[field.name]) return;
      seen[field.name] = true;
      var bad = !field.checkValidity();
      show(form, field, bad ? messageFor(field) : "");
      if (bad) invalid.push(field);
    });
    var status = form.querySelector(".form-status");
    if (status) {
      status.textContent = !invalid.length ? "" : invalid.length === 1
        ? text(form, "correct-one", "Please correct {count} field below.", { count: 1 })
        : text(form, "correct-other", "Please correct {count} fields below.", { count: invalid.length });
      status.hidden = !invalid.length;
    }
    if (invalid.length) invalid[0].focus();
    return !invalid.length;
  }

  function fillFromAddress(form) {
    var params = new URLSearchParams(window.location.search);
    var hidden = form.querySelectorAll("input[type=hidden][data-fill-from]");
    for (var i = 0; i < hidden.length; i++) {
      var source = hidden[i].getAttribute("data-fill-from");
      var value = source === "page" ? window.location.pathname : params.get(source);
      if (value) hidden[i].value = String(value).trim().slice(0, MAX_PARAM_LENGTH);
    }
  }

  function enhance(form) {
    form.noValidate = true; // our messages replace the browser's bubbles; the same constraints apply
    fillFromAddress(form);
    form.addEventListener("submit", function (event) {
      if (!validate(form)) event.preventDefault();
    });
    form.addEventListener("change", function (event) {
      if (event.target.name && form.querySelector(".form-status:not([hidden])")) validate(form);
    });
    // a message is taken away as soon as the field is right, while the visitor types: waiting for the
    // field to lose focus would move the form under their finger as they tap the next field
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.name || field.getAttribute("aria-invalid") !== "true") return;
      checkOneOf(form);
      // a friend's phone typed in answers "their email or phone": the email's message goes too
      var group = oneOf(form);
      (group.indexOf(field) >= 0 ? group : [field]).forEach(function (f) {
        if (f.getAttribute("aria-invalid") === "true" && f.checkValidity()) show(form, f, "");
      });
    });
  }

  var forms = document.querySelectorAll("form[data-sitegen-form]");
  for (var i = 0; i < forms.length; i++) enhance(forms[i]);
})();
