// Reply form on the staff case page: picking a template adds its text without
// reloading the page (nothing typed is lost), selects the status it belongs to,
// and shows an input for each named field ({authority}) the reply still holds.
// Without this script the same buttons post the form and the server does the same.

const form = document.querySelector("[data-reply-form]");
if (form) {
  const body = form.querySelector("textarea[name='body']");
  const status = form.querySelector("select[name='status']");
  const chosen = form.querySelector("[data-reply-template]");
  const fields = form.querySelectorAll("[data-reply-field]");
  const offers = form.querySelectorAll("[data-template-status]");

  const showFields = () => {
    for (const wrapper of fields) {
      const name = wrapper.dataset.replyField;
      const input = wrapper.querySelector("textarea, input");
      const needed = body.value.includes(`{${name}}`);
      wrapper.hidden = !needed && !(input && input.value) && !wrapper.querySelector(".error-message");
    }
  };

  // Only the templates for the status being set are offered.
  const showOffers = () => {
    for (const offer of offers) {
      offer.hidden = Boolean(status.value) && offer.dataset.templateStatus !== status.value;
    }
  };

  for (const button of form.querySelectorAll("button[data-template]")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const typed = body.value.trim();
      body.value = typed ? `${typed}\n\n${button.dataset.text}` : button.dataset.text;
      status.value = button.dataset.status;
      chosen.value = button.dataset.template;
      showOffers();
      showFields();
      const first = [...fields].find((wrapper) => !wrapper.hidden);
      (first ? first.querySelector("textarea, input") : body).focus();
    });
  }
  body.addEventListener("input", () => {
    if (!body.value.trim()) {
      chosen.value = "";
    }
    showFields();
  });
  status.addEventListener("change", showOffers);
  showOffers();
  showFields();
}
