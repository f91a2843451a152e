// A slow button says what is happening while its form is sent: a submit button with
// data-busy="Publishing…" is disabled and shows that text until the next page arrives.
// Without this script the form is sent just the same.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter || form.querySelector("button[data-busy]");
    if (!button || !button.hasAttribute("data-busy")) {
      return;
    }
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault(); // sent once already: a second click would do it twice
      return;
    }
    form.setAttribute("aria-busy", "true");
    button.setAttribute("data-idle", button.textContent);
    button.textContent = button.getAttribute("data-busy");
    button.setAttribute("aria-disabled", "true");
    button.classList.add("is-busy");
    // Disabled only after the form has taken the button's name and value.
    window.setTimeout(function () {
      button.disabled = true;
    }, 0);
  });

  // Back to a page kept from before the click: the button works again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[data-idle]").forEach(function (button) {
      button.textContent = button.getAttribute("data-idle");
      button.removeAttribute("data-idle");
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
      button.disabled = false;
      if (button.form) {
        button.form.removeAttribute("aria-busy");
      }
    });
  });
})();
