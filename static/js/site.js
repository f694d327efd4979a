// Small progressive enhancements; every page works without them.

// Move focus to the error summary so screen-reader and keyboard users hear it first.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}

// Links in the error summary focus the field, not just scroll to it.
for (const link of document.querySelectorAll(".error-summary a[href^='#']")) {
  link.addEventListener("click", (event) => {
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });
}
