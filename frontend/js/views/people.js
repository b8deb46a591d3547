// People (admins): who may sign in, with which role; admins add captains and crew here.
import { api } from "../api.js";
import { columnHeads, field, formAlert, h, onSubmit } from "../dom.js";

export async function peopleView(context) {
  const page = { context, people: await api("GET", "/api/users"), rows: h("tbody") };
  const form = personForm(page);
  drawPeople(page);
  return h(
    "section",
    { "aria-labelledby": "people-title" },
    h("h2", { id: "people-title", tabindex: "-1" }, "People"),
    h("p", { class: "muted" }, "Admins manage charters and reports; captains and crew see charters and tick checklists."),
    form,
    h("div", { class: "table-wrap" }, h("table", {}, h("caption", { class: "visually-hidden" }, "People who may sign in"),
      columnHeads(["Email", "Name", "Role", ""]), page.rows)),
  );
}

function roleOptions(roles) {
  return roles.map((role) => h("option", { value: role }, role));
}

async function changeRole(page, person, select) {
  const { notice } = page.context;
  try {
    const stored = await api("PATCH", `/api/users/${encodeURIComponent(person.email)}`, { role: select.value });
    page.people = page.people.map((each) => (each.email === stored.email ? stored : each));
    notice(`${stored.email} is now ${stored.role}.`, "good");
  } catch (error) {
    select.value = person.role;
    notice(`Could not change ${person.email}: ${error.message}`, "bad");
  }
}

async function removePerson(page, person) {
  const { notice } = page.context;
  if (!window.confirm(`Remove ${person.email}? They will no longer be able to sign in.`)) return;
  try {
    await api("DELETE", `/api/users/${encodeURIComponent(person.email)}`);
    page.people = page.people.filter((each) => each.email !== person.email);
    drawPeople(page);
    notice(`Removed ${person.email}.`, "good");
  } catch (error) {
    notice(`Could not remove ${person.email}: ${error.message}`, "bad");
  }
}

/** A person's row: their role can be changed and they can be removed, except by themselves. */
function personRow(page, person) {
  const self = person.email === page.context.user.email;
  const select = h("select", { "aria-label": `Role of ${person.email}`, disabled: self }, roleOptions(page.context.settings.roles));
  select.value = person.role;
  select.addEventListener("change", () => changeRole(page, person, select));
  const remove = h("button", { type: "button", class: "small danger", onclick: () => removePerson(page, person), "aria-label": `Remove ${person.email}` }, "Remove");
  return h(
    "tr",
    { dataset: { email: person.email } },
    h("th", { scope: "row" }, person.email),
    h("td", {}, person.name || "—"),
    h("td", {}, select),
    h("td", {}, self ? h("span", { class: "muted" }, "you") : remove),
  );
}

function drawPeople(page) {
  page.rows.replaceChildren(...page.people.map((person) => personRow(page, person)));
}

function personForm(page) {
  const email = h("input", { name: "email", id: "person-email", type: "email", autocomplete: "off", required: true });
  const name = h("input", { name: "name", id: "person-name", autocomplete: "off" });
  const role = h("select", { name: "role", id: "person-role" }, roleOptions(page.context.settings.roles));
  role.value = "crew";
  const add = h("button", { type: "submit" }, "Add person");
  const form = h("form", { novalidate: true, class: "person-form" },
    field("Email", email), field("Name", name), field("Role", role), add, formAlert());
  onSubmit(form, add, () => addPerson(page, form, { email, name, role }));
  return form;
}

async function addPerson(page, form, { email, name, role }) {
  const body = { email: email.value.trim(), role: role.value };
  if (name.value.trim()) body.name = name.value.trim();
  const stored = await api("POST", "/api/users", body);
  page.people = [...page.people, stored];
  drawPeople(page);
  form.reset();
  role.value = "crew";
  page.context.notice(`Added ${stored.email} as ${stored.role}. They can now ask for a sign-in link.`, "good");
}
