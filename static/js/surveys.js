// Questionnaires: show a conditional question only while the answer it depends on is chosen.
// The server decides again on submit; without this script every question is shown.

const form = document.querySelector("[data-questionnaire]");

function chosen(optionId) {
  return [...form.querySelectorAll("input[type=radio], input[type=checkbox]")].some(
    (input) => input.checked && input.value === optionId,
  );
}

function update() {
  for (const block of form.querySelectorAll("[data-show-if]")) {
    block.hidden = !chosen(block.dataset.showIf);
  }
}

if (form) {
  form.addEventListener("change", update);
  update();
}

// At a kiosk, a form left alone is cleared for the next visitor: after a quiet spell the
// page is replaced by a blank form (the half-filled one is not kept in the history).
const idleTarget = form && form.dataset.idleReset;
if (idleTarget) {
  const seconds = Number(form.dataset.idleSeconds) || 120;
  let timer;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.location.replace(idleTarget), seconds * 1000);
  };
  for (const type of ["input", "change", "pointerdown", "keydown", "scroll"]) {
    document.addEventListener(type, restart, { passive: true });
  }
  restart();
}
