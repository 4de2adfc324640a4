// Progressive enhancement only: every page works without this file.
// Collapses the main menu behind a button on small screens.
// The language switcher's links keep the page's query string, so a friend who arrives on
// /welcome/?ref=ABCD2345 and switches language still has the invitation code in the address.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var switcher = document.querySelectorAll("[data-lang-switcher] a[href]");
  if (window.location.search) {
    for (var i = 0; i < switcher.length; i++) {
      var url = new URL(switcher[i].getAttribute("href"), window.location.href);
      url.search = window.location.search;
      switcher[i].setAttribute("href", url.origin === window.location.origin ? url.pathname + url.search + url.hash : url.href);
    }
  }

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
