// Small conveniences over pages that work without this script.
"use strict";

// Timeline: pointing at a mark on the axis lights its entry in the list, and back.
function linkTimeline() {
  document.querySelectorAll("svg .mark").forEach(function (mark) {
    var target = document.getElementById((mark.getAttribute("href") || "").slice(1));
    if (!target) return;
    function on() { mark.classList.add("active"); target.classList.add("active"); }
    function off() { mark.classList.remove("active"); target.classList.remove("active"); }
    mark.addEventListener("mouseenter", on);
    mark.addEventListener("mouseleave", off);
    target.addEventListener("mouseenter", on);
    target.addEventListener("mouseleave", off);
  });
}

// Article: the legend's keys become toggles that show or hide one kind of highlight.
function legendToggles() {
  var text = document.querySelector(".article-text");
  if (!text) return;
  document.querySelectorAll(".legend .key[data-kind]").forEach(function (key) {
    var kind = key.getAttribute("data-kind");
    key.setAttribute("role", "button");
    key.setAttribute("tabindex", "0");
    key.setAttribute("aria-pressed", "true");
    function toggle() {
      var hidden = text.classList.toggle("hide-" + kind);
      key.setAttribute("aria-pressed", hidden ? "false" : "true");
    }
    key.addEventListener("click", toggle);
    key.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); }
    });
  });
}

// Search: changing the mode or the language runs the search again when there is a query.
function autoSearch() {
  var form = document.querySelector("form.search");
  if (!form) return;
  form.querySelectorAll("input[name=mode], select[name=lang]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (form.elements.q.value.trim()) form.submit();
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  linkTimeline();
  legendToggles();
  autoSearch();
});
