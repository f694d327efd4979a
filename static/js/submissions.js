// Complaints and reports: print button on the receipt; one click per send button.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
for (const button of document.querySelectorAll("[data-prevent-double-submit]")) {
  button.form?.addEventListener("submit", () => {
    // Let this submit through, then ignore further clicks; the server is idempotent anyway.
    setTimeout(() => { button.disabled = true; }, 0);
  });
}
