/* The header's menu button on narrow screens (site.css, max-width 40rem): the main menu and the
   language and login tools fold away behind it, so that a phone shows the page, not the header.
   Without this script the button stays hidden and everything shows. Escape closes the menu and
   returns to the button. */
(function () {
  "use strict";

  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  if (!button) return;

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  header.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
