// Kiosk receipts: a print button, and the visitor's own choice whether the secret query
// code goes on paper (the receipt prints it only while it has the class receipt-with-secret).
for (const tools of document.querySelectorAll("[data-receipt-tools]")) {
  tools.hidden = false;
}
for (const button of document.querySelectorAll("[data-receipt-print]")) {
  button.addEventListener("click", () => window.print());
}
const receipt = document.querySelector("[data-receipt]");
for (const choice of document.querySelectorAll("[data-receipt-secret-choice]")) {
  const apply = () => receipt?.classList.toggle("receipt-with-secret", choice.checked);
  choice.addEventListener("change", apply);
  apply();
}
