/* SPP Tracker: small progressive enhancements. Every page works without this file; it is a static
   file so the Content-Security-Policy needs no 'unsafe-inline'. */
(function () {
  "use strict";

  /* <details class="collapsible" open> (the header menu, the list's filters) stay open on wide
     screens and fold behind their <summary> button on narrow ones. */
  var narrow = window.matchMedia("(max-width: 800px)");
  function fit() {
    document.querySelectorAll("details.collapsible").forEach(function (details) {
      details.open = !narrow.matches;
    });
  }

  /* Forms marked data-drop-empty leave their empty fields out of the URL, so shared links stay short:
     disabled fields are not submitted. They are enabled again when the page comes back from the
     browser's history. */
  function dropEmpty(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-drop-empty]")) {
      return;
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.type !== "submit" && field.value === "" &&
          field.type !== "checkbox" && field.type !== "radio" && !field.multiple) {
        field.disabled = true;
        field.setAttribute("data-dropped", "");
      }
    });
  }
  function restore() {
    document.querySelectorAll("[data-dropped]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-dropped");
    });
  }

  document.addEventListener("DOMContentLoaded", fit);
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  }
  document.addEventListener("submit", dropEmpty);
  window.addEventListener("pageshow", restore);
})();
