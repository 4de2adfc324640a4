// Progressive enhancement only: every page works without this file.
// Opens and closes the main menu on small screens (css/site.css decides when the button shows).
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

  // The phone's booking bar (css/site.css shows it only on small screens) appears once the page's own booking
  // button has scrolled away, or, on a page without one, once the visitor scrolls: while hidden it covers
  // nothing. Its room at the end of the page is always kept, so showing it moves nothing.
  var bar = document.querySelector("[data-booking-bar]");
  if (bar) {
    var own = document.querySelector("main [data-booking]");
    if (own && "IntersectionObserver" in window) {
      new IntersectionObserver(function (entries) {
        var seen = entries[entries.length - 1];
        bar.classList.toggle("is-shown", !seen.isIntersecting && seen.boundingClientRect.top < 0);
      }).observe(own);
    } else if (own) {
      bar.classList.add("is-shown");
    } else {
      var reveal = function () {
        if (window.scrollY < window.innerHeight / 3) return;
        bar.classList.add("is-shown");
        window.removeEventListener("scroll", reveal);
      };
      window.addEventListener("scroll", reveal, { passive: true });
      reveal();
    }
  }

  // An invited friend's booking buttons (referral.js keeps their code): to an online scheduler that takes a
  // code (site.yaml booking.referral_parameter), the code and campaign are added to its address; to one that
  // takes none, the button leads to the request form, which carries the code. After every deferred script,
  // so referral.js has kept a code that arrived in this page's address.
  document.addEventListener("DOMContentLoaded", function () {
    var R = window.sitegenReferral;
    var invite = R && R.invite();
    if (!invite) return;
    var links = document.querySelectorAll("a[data-booking-ref], a[data-booking-fallback]");
    for (var j = 0; j < links.length; j++) {
      var link = links[j];
      var param = link.getAttribute("data-booking-ref");
      if (!param) { link.setAttribute("href", link.getAttribute("data-booking-fallback")); continue; }
      var target = new URL(link.getAttribute("href"));
      target.searchParams.set(param, invite.code);
      var campaign = link.getAttribute("data-booking-campaign");
      if (campaign && invite.utm_campaign) target.searchParams.set(campaign, invite.utm_campaign);
      link.setAttribute("href", target.href);
    }
  });

  // The menu's button: the stylesheet decides when it shows (small screens, from the first paint); this only
  // opens and closes the menu.
  var toggle = document.querySelector(".menu-toggle");
  if (!toggle) return;
  toggle.addEventListener("click", function () {
    toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
  });
})();
