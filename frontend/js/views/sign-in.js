// Sign in: ask for an emailed link. Opening the link is handled by the shell (main.js).
import { api } from "../api.js";
import { field, formAlert, h, onSubmit } from "../dom.js";

const ASK = "Email me a sign-in link";

export function signInView() {
  const email = h("input", { name: "email", type: "email", autocomplete: "email", required: true });
  const button = h("button", { type: "submit" }, ASK);
  const form = h("form", { novalidate: true, class: "stack" }, field("Email address", email), formAlert(), button);
  const sent = sentCard(() => {
    sent.hidden = true;
    form.hidden = false;
    email.focus();
  });
  onSubmit(form, button, async () => {
    await askForLink(email, button);
    form.hidden = true;
    sent.hidden = false;
  });
  return h(
    "section",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h2", { id: "sign-in-title", tabindex: "-1" }, "Sign in"),
    h("p", {}, "We email you a link that signs you in. It works once and expires in 15 minutes."),
    form,
    sent,
  );
}

/** What shows once a link is asked for; its button (`anotherAddress`) goes back to the form. */
function sentCard(anotherAddress) {
  return h(
    "div",
    { class: "card", hidden: true, role: "status" },
    h("h3", {}, "Check your inbox"),
    h("p", {}, "If this address may sign in, a link is on its way. It works once and expires in 15 minutes."),
    h("button", { type: "button", class: "secondary", onclick: anotherAddress }, "Use another address"),
  );
}

async function askForLink(email, button) {
  const address = email.value.trim();
  if (!/^[^@\s]+@[^@\s]+$/.test(address)) {
    throw { field: "email", message: "Enter your email address, like name@example.com." };
  }
  button.textContent = "Sending…";
  try {
    await api("POST", "/api/auth/magic-link", { email: address });
  } finally {
    button.textContent = ASK;
  }
}
