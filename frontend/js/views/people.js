// People (admins): who may sign in, with which role; admins add captains and crew here.
import { api } from "../api.js";
import { field, formAlert, h, onSubmit } from "../dom.js";

export async function peopleView(context) {
  const { settings, user, notice } = context;
  let people = await api("GET", "/api/users");
  const rows = h("tbody");

  async function change(person, role, select) {
    try {
      const stored = await api("PATCH", `/api/users/${encodeURIComponent(person.email)}`, { role });
      people = people.map((each) => (each.email === stored.email ? stored : each));
      notice(`${stored.email} is now ${stored.role}.`, "good");
    } catch (error) {
      select.value = person.role;
      notice(`Could not change ${person.email}: ${error.message}`, "bad");
    }
  }

  async function remove(person) {
    if (!window.confirm(`Remove ${person.email}? They will no longer be able to sign in.`)) return;
    try {
      await api("DELETE", `/api/users/${encodeURIComponent(person.email)}`);
      people = people.filter((each) => each.email !== person.email);
      draw();
      notice(`Removed ${person.email}.`, "good");
    } catch (error) {
      notice(`Could not remove ${person.email}: ${error.message}`, "bad");
    }
  }

  function draw() {
    rows.replaceChildren(
      ...people.map((person) => {
        const self = person.email === user.email;
        const select = h("select", { "aria-label": `Role of ${person.email}`, disabled: self }, settings.roles.map((role) => h("option", { value: role }, role)));
        select.value = person.role;
        select.addEventListener("change", () => change(person, select.value, select));
        return h(
          "tr",
          { dataset: { email: person.email } },
          h("th", { scope: "row" }, person.email),
          h("td", {}, person.name || "—"),
          h("td", {}, select),
          h("td", {}, self ? h("span", { class: "muted" }, "you") : h("button", { type: "button", class: "small danger", onclick: () => remove(person), "aria-label": `Remove ${person.email}` }, "Remove")),
        );
      }),
    );
  }

  const email = h("input", { name: "email", id: "person-email", type: "email", autocomplete: "off", required: true });
  const name = h("input", { name: "name", id: "person-name", autocomplete: "off" });
  const role = h("select", { name: "role", id: "person-role" }, settings.roles.map((each) => h("option", { value: each }, each)));
  role.value = "crew";
  const add = h("button", { type: "submit" }, "Add person");
  const form = h("form", { novalidate: true, class: "person-form" },
    field("Email", email), field("Name", name), field("Role", role), add, formAlert());
  onSubmit(form, add, async () => {
    const body = { email: email.value.trim(), role: role.value };
    if (name.value.trim()) body.name = name.value.trim();
    const stored = await api("POST", "/api/users", body);
    people = [...people, stored];
    draw();
    form.reset();
    role.value = "crew";
    notice(`Added ${stored.email} as ${stored.role}. They can now ask for a sign-in link.`, "good");
  });

  draw();
  return h(
    "section",
    { "aria-labelledby": "people-title" },
    h("h2", { id: "people-title", tabindex: "-1" }, "People"),
    h("p", { class: "muted" }, "Admins manage charters and reports; captains and crew see charters and tick checklists."),
    form,
    h("div", { class: "table-wrap" }, h("table", {}, h("caption", { class: "visually-hidden" }, "People who may sign in"),
      h("thead", {}, h("tr", {}, ["Email", "Name", "Role", ""].map((n) => h("th", { scope: "col" }, n)))), rows)),
  );
}
