// Progressive enhancement only: every page works without this file.
// Collapses the main menu behind a button when it would not fit on one row.
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
  var header = document.querySelector(".site-header");
  if (!toggle || !menu || !header) return;
  toggle.hidden = false;
  menu.setAttribute("data-open", "false");
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    menu.setAttribute("data-open", String(!open));
  });

  // The menu goes behind the button when its items would not fit on one row: measured, not guessed from
  // the screen's width, since one practice's menu has four items and another's nine.
  function fit() {
    header.classList.remove("nav-compact");
    var items = menu.querySelectorAll("li");
    var wraps = items.length > 1 && items[items.length - 1].offsetTop > items[0].offsetTop;
    header.classList.toggle("nav-compact", wraps);
  }
  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; fit(); });
  });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);  // the theme's font changes the widths
  fit();
})();
