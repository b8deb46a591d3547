// Charters: the list (upcoming or past, by entity and status), the detail with its checklist
// and timing panel, and the admin's create/edit form.
import { allEvents, api } from "../api.js";
import { field, formAlert, h, onSubmit, progress, tag } from "../dom.js";
import { dollars, durationWords, longDate, minutesBetween, relativeWords, todayIn, zonedInstant } from "../time.js";

const filters = { when: "upcoming", entity: "", status: "" };  // kept while the page is open

function checklistWords(event) {
  const done = event.checklist.filter((item) => item.done).length;
  return [done, event.checklist.length, `${done} of ${event.checklist.length} done`];
}

export async function listView(context) {
  const { settings, user } = context;
  const events = await allEvents();
  const today = todayIn(settings.timezone);
  const body = h("tbody");
  const summary = h("p", { class: "muted", role: "status" });

  function draw() {
    const chosen = events
      .filter((event) => (filters.when === "upcoming" ? event.date >= today : event.date < today))
      .filter((event) => !filters.entity || event.entity === filters.entity)
      .filter((event) => !filters.status || event.status === filters.status)
      .sort((a, b) => `${a.date} ${a.start_time || ""}`.localeCompare(`${b.date} ${b.start_time || ""}`));
    if (filters.when === "past") chosen.reverse();
    body.replaceChildren(
      ...chosen.map((event) => {
        const [done, total, words] = checklistWords(event);
        return h(
          "tr",
          {},
          h("td", {}, longDate(event.date)),
          h("td", {}, [event.start_time, event.end_time].filter(Boolean).join("–") || "—"),
          h("th", { scope: "row" }, h("a", { href: `#/charters/${event.id}` }, event.title)),
          h("td", {}, event.entity),
          h("td", {}, tag(event.status)),
          h("td", {}, total ? progress(done, total, words) : "—"),
        );
      }),
    );
    summary.textContent = chosen.length
      ? `${chosen.length} ${filters.when} charter${chosen.length === 1 ? "" : "s"}`
      : `No ${filters.when} charters match these filters.`;
    for (const button of whenButtons) button.setAttribute("aria-pressed", String(button.value === filters.when));
  }

  const whenButtons = ["upcoming", "past"].map((when) =>
    h("button", { type: "button", class: "toggle", value: when, onclick: () => { filters.when = when; draw(); } },
      when === "upcoming" ? "Upcoming" : "Past"),
  );
  const select = (name, label, options) => {
    const input = h(
      "select",
      { name, id: `filter-${name}`, onchange: (changed) => { filters[name] = changed.target.value; draw(); } },
      h("option", { value: "" }, `All ${label.toLowerCase()}`),
      options.map((option) => h("option", { value: option }, option)),
    );
    input.value = filters[name];
    return h("div", { class: "field inline" }, h("label", { for: input.id }, label), input);
  };

  const page = h(
    "section",
    { "aria-labelledby": "charters-title" },
    h(
      "div",
      { class: "page-head" },
      h("h2", { id: "charters-title", tabindex: "-1" }, "Charters"),
      user.role === "admin" ? h("a", { class: "button", href: "#/charters/new" }, "New charter") : null,
    ),
    h(
      "div",
      { class: "filters" },
      h("div", { class: "segmented", role: "group", "aria-label": "Which charters" }, whenButtons),
      select("entity", "Entities", settings.entities),
      select("status", "Statuses", settings.statuses),
    ),
    summary,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "charters" },
        h("caption", { class: "visually-hidden" }, "Charters"),
        h("thead", {}, h("tr", {}, ["Date", "Time", "Charter", "Entity", "Status", "Checklist"].map((name) => h("th", { scope: "col" }, name)))),
        body,
      ),
    ),
  );
  draw();
  return page;
}

export async function detailView(context, id) {
  const { settings, user, notice, onLeave } = context;
  let event = await api("GET", `/api/events/${encodeURIComponent(id)}`);
  const zone = settings.timezone;

  const progressBox = h("div", { "aria-live": "polite" });
  const items = h("ul", { class: "checklist" });
  const countdown = h("dd", { class: "countdown" });

  function drawChecklist() {
    const [done, total, words] = checklistWords(event);
    const percent = total ? Math.round((100 * done) / total) : 0;
    progressBox.replaceChildren(total ? progress(done, total, `${words} (${percent}%)`) : h("p", { class: "muted" }, "No checklist items yet."));
    items.replaceChildren(
      ...event.checklist.map((item) => {
        const box = h("input", { type: "checkbox", id: `item-${item.id}`, checked: item.done });
        box.addEventListener("change", async () => {
          box.disabled = true;
          try {
            event = await api("PUT", `/api/events/${encodeURIComponent(event.id)}/checklist/${encodeURIComponent(item.id)}`, { done: box.checked });
            drawChecklist();
          } catch (error) {
            box.checked = !box.checked;
            notice(`Could not save “${item.text}”: ${error.message}`, "bad");
          } finally {
            box.disabled = false;
          }
        });
        return h("li", {}, box, h("label", { for: box.id }, item.text));
      }),
    );
  }

  function drawCountdown() {
    if (!event.start_time) {
      countdown.textContent = "No start time set";
      return;
    }
    const start = zonedInstant(event.date, event.start_time, zone);
    const end = event.end_time ? zonedInstant(event.date, event.end_time, zone) : start;
    const now = Date.now();
    if (event.status === "cancelled") countdown.textContent = "Cancelled";
    else if (now < start) countdown.textContent = `Departs ${relativeWords(start, now)}`;
    else if (now < end) countdown.textContent = `Under way, back ${relativeWords(end, now)}`;
    else countdown.textContent = `Departed ${relativeWords(start, now)}`;
  }
  drawChecklist();
  drawCountdown();
  const timer = setInterval(drawCountdown, 30000);
  onLeave(() => clearInterval(timer));

  async function remove() {
    if (!window.confirm(`Delete “${event.title}”? This cannot be undone.`)) return;
    try {
      await api("DELETE", `/api/events/${encodeURIComponent(event.id)}`);
      notice(`Deleted “${event.title}”.`, "good");
      context.go("#/charters");
    } catch (error) {
      notice(`Could not delete: ${error.message}`, "bad");
    }
  }

  const detail = (label, value) => [h("dt", {}, label), h("dd", {}, value === undefined || value === null || value === "" ? "—" : value)];
  const balance = event.price !== undefined ? Number(event.price) - Number(event.deposit || 0) : null;
  return h(
    "article",
    { class: "charter", "aria-labelledby": "charter-title" },
    h("p", {}, h("a", { href: "#/charters" }, "← All charters")),
    h(
      "div",
      { class: "page-head" },
      h("h2", { id: "charter-title", tabindex: "-1" }, event.title),
      user.role === "admin"
        ? h(
            "div",
            { class: "actions" },
            h("a", { class: "button", href: `#/charters/${event.id}/edit` }, "Edit"),
            h("button", { type: "button", class: "danger", onclick: remove }, "Delete"),
          )
        : null,
    ),
    h("p", {}, tag(event.status), " ", h("span", { class: "muted" }, event.entity)),
    h(
      "div",
      { class: "panels" },
      h(
        "section",
        { class: "card", "aria-labelledby": "timing-title" },
        h("h3", { id: "timing-title" }, "Timing"),
        h(
          "dl",
          { class: "facts" },
          detail("Date", longDate(event.date)),
          detail("Start", event.start_time),
          detail("End", event.end_time),
          detail("Duration", durationWords(minutesBetween(event.start_time, event.end_time))),
          h("dt", {}, "Departure"),
          countdown,
        ),
        h("p", { class: "hint" }, `Times are local to ${zone}.`),
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "booking-title" },
        h("h3", { id: "booking-title" }, "Booking"),
        h(
          "dl",
          { class: "facts" },
          detail("Contact", event.contact_email),
          detail("Guests", event.guests),
          detail("Price", dollars(event.price)),
          detail("Deposit", dollars(event.deposit)),
          detail("Balance due", balance === null ? null : dollars(balance)),
        ),
        event.notes ? h("p", { class: "notes" }, event.notes) : null,
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "checklist-title" },
      h("h3", { id: "checklist-title" }, "Checklist"),
      progressBox,
      items,
    ),
  );
}

export async function formView(context, id) {
  const { settings, notice } = context;
  const existing = id ? await api("GET", `/api/events/${encodeURIComponent(id)}`) : null;
  const value = (name) => (existing && existing[name] !== undefined && existing[name] !== null ? existing[name] : "");
  const input = (name, props = {}) => h("input", { name, id: `charter-${name}`, value: String(value(name)), ...props });
  const choose = (name, options, fallback) => {
    const select = h("select", { name, id: `charter-${name}` }, options.map((option) => h("option", { value: option }, option)));
    select.value = value(name) || fallback;
    return select;
  };
  const checklist = h("textarea", { name: "checklist", id: "charter-checklist", rows: 5 });
  checklist.value = existing ? existing.checklist.map((item) => item.text).join("\n") : "Fuel topped up\nSafety briefing\nGuest list confirmed";
  const notes = h("textarea", { name: "notes", id: "charter-notes", rows: 3 });
  notes.value = value("notes");

  const save = h("button", { type: "submit" }, existing ? "Save changes" : "Create charter");
  const form = h(
    "form",
    { novalidate: true, class: "charter-form" },
    h(
      "div",
      { class: "grid" },
      field("Title", input("title", { required: true, maxlength: 200 })),
      field("Entity", choose("entity", settings.entities, settings.entities[0])),
      field("Status", choose("status", settings.statuses, "inquiry")),
      field("Date", input("date", { type: "date", required: true })),
      field("Start time", input("start_time", { type: "time" })),
      field("End time", input("end_time", { type: "time" })),
      field("Contact email", input("contact_email", { type: "email", autocomplete: "off" })),
      field("Guests", input("guests", { type: "number", min: 0, max: 1000, inputmode: "numeric" })),
      field("Price ($)", input("price", { type: "number", min: 0, step: "0.01", inputmode: "decimal" })),
      field("Deposit ($)", input("deposit", { type: "number", min: 0, step: "0.01", inputmode: "decimal" })),
    ),
    field("Checklist", checklist, "One item per line. Ticked items stay ticked when their text is unchanged."),
    field("Notes", notes),
    formAlert(),
    h("div", { class: "actions" }, save, h("a", { class: "button secondary", href: existing ? `#/charters/${existing.id}` : "#/charters" }, "Cancel")),
  );

  onSubmit(form, save, async () => {
    const data = new FormData(form);
    const body = {};
    for (const name of ["title", "entity", "status", "date", "start_time", "end_time", "contact_email", "guests", "price", "deposit", "notes"]) {
      const text = String(data.get(name) || "").trim();
      if (text) body[name] = ["guests", "price", "deposit"].includes(name) ? Number(text) : text;
      else if (existing) body[name] = null;  // clearing a field on edit
    }
    const before = existing ? existing.checklist : [];
    body.checklist = String(data.get("checklist") || "")
      .split("\n").map((line) => line.trim()).filter(Boolean)
      .map((text) => {
        const kept = before.find((item) => item.text === text);
        return kept ? { id: kept.id, text, done: kept.done } : { text };
      });
    const stored = existing
      ? await api("PATCH", `/api/events/${encodeURIComponent(existing.id)}`, body)
      : await api("POST", "/api/events", body);
    notice(existing ? `Saved “${stored.title}”.` : `Created “${stored.title}”.`, "good");
    context.go(`#/charters/${stored.id}`);
  });

  return h(
    "section",
    { "aria-labelledby": "form-title" },
    h("p", {}, h("a", { href: existing ? `#/charters/${existing.id}` : "#/charters" }, "← Back")),
    h("h2", { id: "form-title", tabindex: "-1" }, existing ? `Edit “${existing.title}”` : "New charter"),
    form,
  );
}
