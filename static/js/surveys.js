// Questionnaires: show a conditional question only while the answer it depends on is chosen,
// and number the questions shown one after another, so that a hidden question leaves no gap.
// The server decides again on submit; without this script every question is shown, numbered
// in order.

const form = document.querySelector("[data-questionnaire]");

function chosen(optionId) {
  return [...form.querySelectorAll("input[type=radio], input[type=checkbox]")].some(
    (input) => input.checked && input.value === optionId,
  );
}

function renumber() {
  let number = 0;
  for (const block of form.querySelectorAll(".question")) {
    if (block.hidden) continue;
    number += 1;
    const label = block.querySelector("[data-question-number]");
    if (label) label.textContent = String(number);
    for (const mention of document.querySelectorAll(`[data-number-of="${block.id}"]`)) {
      mention.textContent = String(number);
    }
  }
}

function update() {
  for (const block of form.querySelectorAll("[data-show-if]")) {
    block.hidden = !chosen(block.dataset.showIf);
  }
  renumber();
}

if (form) {
  form.addEventListener("change", update);
  update();
}
