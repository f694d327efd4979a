// The main menu folds behind a button on phones. Without this script the button
// stays hidden and the menu open; on wide screens CSS keeps the menu shown.
const button = document.querySelector("[data-menu-button]");
const menu = button && document.getElementById(button.getAttribute("aria-controls"));
if (button && menu) {
  const show = (open) => {
    button.setAttribute("aria-expanded", String(open));
    menu.hidden = !open;
  };
  button.hidden = false;
  show(false);
  button.addEventListener("click", () => show(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
}
