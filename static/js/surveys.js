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
