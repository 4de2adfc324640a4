// Progressive enhancement only: every page works without this file.
// Collapses the main menu behind a button on small screens.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  toggle.hidden = false;
  menu.setAttribute("data-open", "false");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    menu.setAttribute("data-open", String(!open));
  });
})();
