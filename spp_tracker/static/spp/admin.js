/* SPP Tracker admin: accessibility fixes for the autocomplete widgets (select2, bundled with Django).
   Loaded by admin/base_site.html; a static file, so the Content-Security-Policy needs no inline script.

   select2 draws its own controls next to the hidden <select>: a combobox named only by the chosen item
   (no name when empty), a search field with no label, and the "clear" cross as a <span> inside
   the <ul> of chosen items (invalid list markup). Each time select2 redraws, this names its controls
   after the field's <label> and moves the cross out of the list. */
(function () {
  "use strict";

  function labelFor(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) {
      label.id = select.id + "-label";
    }
    return label;
  }

  function fix(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") {
      return;
    }
    var label = labelFor(select);
    var name = label ? label.textContent.replace(/[:\s]+$/, "").trim() : select.name;
    // The combobox and its read-only "textbox" (the chosen item) are named by the field's label.
    container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (control) {
      if (label) {
        control.setAttribute("aria-labelledby", label.id);
      } else if (!control.getAttribute("aria-label")) {
        control.setAttribute("aria-label", name);
      }
    });
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      if (!field.getAttribute("aria-label")) {
        field.setAttribute("aria-label", name);
      }
    });
    var selection = container.querySelector(".select2-selection");
    var list = container.querySelector("ul.select2-selection__rendered");
    if (selection && list) {
      var inList = list.querySelector(":scope > .select2-selection__clear");
      var chosen = Array.prototype.some.call(select.options, function (option) {
        return option.selected && option.value !== "";
      });
      selection.querySelectorAll(":scope > .select2-selection__clear").forEach(function (old) {
        if (inList || !chosen) {
          old.remove();  // select2 drew a new cross, or nothing is chosen any more
        }
      });
      if (inList) {
        selection.insertBefore(inList, list);
      }
    }
  }

  var pending = false;
  function fixAll() {
    pending = false;
    document.querySelectorAll("span.select2-container").forEach(fix);
  }
  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(fixAll);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    fixAll();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
})();
