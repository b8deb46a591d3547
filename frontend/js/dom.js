// DOM helpers. Every piece of text goes in as a text node: nothing here ever parses HTML,
// so a charter title or a report error with markup in it is shown, never run.

/** Create an element: h("a", {href: "#/x", class: "button"}, "text", childNode, ...). */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") element.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key === "value") element.value = value;
    else if (key === "checked") element.checked = Boolean(value);
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (id) => document.getElementById(id);

/** A table's head row: one column header per name (a string or an element). */
export function columnHeads(names) {
  return h("thead", {}, h("tr", {}, names.map((name) => h("th", { scope: "col" }, name))));
}

/** "1 report", "3 reports". */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** A status word as a coloured tag; the class comes from a fixed list, never from the data. */
const TONES = {
  sent: "good", succeeded: "good", booked: "good", completed: "good", done: "good",
  failed: "bad", cancelled: "bad", critical: "bad",
  partial: "warn", hold: "warn", high: "warn", running: "info", queued: "info", pending: "info",
  dry_run: "info", inquiry: "info", doing: "info", stalled: "warn",
  delivered: "good", bounced: "bad", complained: "bad", rejected: "bad",
};

export function tag(word, label) {
  const tone = TONES[word] || "plain";
  return h("span", { class: `tag tag-${tone}` }, label || String(word).replace("_", " "));
}

/** A labelled form field whose error paragraph the API's validation messages fill. */
export function field(label, input, hint) {
  const id = input.id || `f-${input.name}`;
  input.id = id;
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const described = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  input.setAttribute("aria-describedby", described);
  return h(
    "div",
    { class: "field", dataset: { field: input.name } },
    h("label", { for: id }, label),
    input,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    error,
  );
}

/** The API names fields as it knows them ("end_time"); the form says them as its labels do. */
function inLabels(form, text) {
  let said = text;
  for (const box of form.querySelectorAll("[data-field]")) {
    const label = box.querySelector("label").textContent.replace(/\s*\(.*\)$/, "");
    const name = box.dataset.field;
    if (said.startsWith(`${name} `) || said.startsWith(`${name}:`)) said = label + said.slice(name.length);
    // snake_case names cannot be mistaken for words of a value the person typed
    if (name.includes("_")) said = said.replace(new RegExp(`\\b${name}\\b`, "g"), label.toLowerCase());
  }
  return said.charAt(0).toUpperCase() + said.slice(1);
}

/** Show an API error next to its field (or in the form's alert when it names none). */
export function showFormError(form, error) {
  clearFormErrors(form);
  const box = error.field && form.querySelector(`[data-field="${CSS.escape(error.field)}"]`);
  if (box) {
    const input = box.querySelector("input, select, textarea");
    const message = box.querySelector(".field-error");
    message.textContent = inLabels(form, error.message);
    message.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  } else {
    const alert = form.querySelector(".form-error");
    alert.textContent = inLabels(form, error.message);
    alert.hidden = false;
  }
}

export function clearFormErrors(form) {
  for (const message of form.querySelectorAll(".field-error, .form-error")) {
    message.textContent = "";
    message.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Handle a form's submit: `save` runs with the button disabled, and an error it throws is
 *  shown next to the field the API named (or in the form's alert). */
export function onSubmit(form, button, save) {
  form.addEventListener("submit", async (submitted) => {
    submitted.preventDefault();
    clearFormErrors(form);
    button.disabled = true;
    try {
      await save();
    } catch (error) {
      showFormError(form, error);
    } finally {
      button.disabled = false;
    }
  });
}

export function formAlert() {
  return h("p", { class: "form-error", role: "alert", hidden: true });
}

/** A <progress> with its words beside it, for the checklist and the report run. */
export function progress(done, total, words) {
  return h(
    "div",
    { class: "progress" },
    h("progress", { max: Math.max(total, 1), value: done, "aria-label": words }),
    h("span", { class: "progress-words" }, words),
  );
}
