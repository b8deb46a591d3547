// Charters: the list (upcoming or past, by entity and status), the detail with its checklist
// and timing panel, and the admin's create/edit form.
import { allEvents, api } from "../api.js";
import { columnHeads, field, formAlert, h, onSubmit, plural, progress, tag } from "../dom.js";
import { dollars, durationWords, longDate, minutesBetween, relativeWords, todayIn, zonedInstant } from "../time.js";
import { asCards } from "./cards.js";

const NO_FILTERS = { when: "upcoming", entity: "", status: "" };
const DEFAULT_CHECKLIST = "Fuel topped up\nSafety briefing\nGuest list confirmed";
const FORM_FIELDS = ["title", "entity", "status", "date", "start_time", "end_time", "contact_email", "guests", "price", "deposit", "notes"];
const NUMBER_FIELDS = ["guests", "price", "deposit"];

function checklistWords(event) {
  const done = event.checklist.filter((item) => item.done).length;
  return [done, event.checklist.length, `${done} of ${event.checklist.length} done`];
}

// ---- The list -----------------------------------------------------------------------------

export async function listView(context) {
  const events = await allEvents();
  const list = charterList(context, events);
  drawList(list);
  return h(
    "section",
    { "aria-labelledby": "charters-title" },
    listHead(context.user),
    listFilters(list),
    list.summary,
    chartersTable(list),
  );
}

/** The list's state for this visit. Its filters are the page's memory: a later visit (back
 *  from a charter, say) finds them as this one left them. */
function charterList(context, events) {
  const { memory, settings } = context;
  memory.filters ??= { ...NO_FILTERS };
  const list = {
    settings,
    events,
    filters: memory.filters,
    today: todayIn(settings.timezone),
    body: h("tbody"),
    summary: h("p", { class: "muted", role: "status" }),
  };
  list.whenButtons = whenButtons(list);
  return list;
}

/** The charters the filters let through, soonest first (the past: latest first). */
function chosenCharters({ events, filters, today }) {
  const chosen = events
    .filter((event) => (filters.when === "upcoming" ? event.date >= today : event.date < today))
    .filter((event) => !filters.entity || event.entity === filters.entity)
    .filter((event) => !filters.status || event.status === filters.status)
    .sort((a, b) => `${a.date} ${a.start_time || ""}`.localeCompare(`${b.date} ${b.start_time || ""}`));
  if (filters.when === "past") chosen.reverse();
  return chosen;
}

/** The zone's abbreviation on the charter's day ("PDT", "PST"), so a time says which clocks it is on. */
function zoneAbbreviation(date, time, zone) {
  if (!date || !zone) return "";
  const instant = zonedInstant(date, time || "12:00", zone);
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }).formatToParts(new Date(instant));
  const name = parts.find((part) => part.type === "timeZoneName");
  return name ? name.value : "";
}

function charterRow(event, zone) {
  const [done, total, words] = checklistWords(event);
  const times = [event.start_time, event.end_time].filter(Boolean).join("–");
  return h(
    "tr",
    {},
    h("td", {}, longDate(event.date)),
    h("td", {}, times ? `${times} ${zoneAbbreviation(event.date, event.start_time, zone)}`.trim() : "—"),
    h("th", { scope: "row" }, h("a", { href: `#/charters/${event.id}` }, event.title)),
    h("td", {}, event.entity),
    h("td", {}, tag(event.status)),
    h("td", {}, total ? progress(done, total, words) : "—"),
  );
}

function drawList(list) {
  const { filters } = list;
  const chosen = chosenCharters(list);
  list.body.replaceChildren(...chosen.map((event) => charterRow(event, list.settings.timezone)));
  list.summary.textContent = chosen.length
    ? plural(chosen.length, `${filters.when} charter`)
    : `No ${filters.when} charters match these filters.`;
  for (const button of list.whenButtons) button.setAttribute("aria-pressed", String(button.value === filters.when));
}

function setFilter(list, name, value) {
  list.filters[name] = value;
  drawList(list);
}

function whenButtons(list) {
  return ["upcoming", "past"].map((when) =>
    h("button", { type: "button", class: "toggle", value: when, onclick: () => setFilter(list, "when", when) },
      when === "upcoming" ? "Upcoming" : "Past"),
  );
}

function filterSelect(list, name, label, options) {
  const input = h(
    "select",
    { name, id: `filter-${name}`, onchange: (changed) => setFilter(list, name, changed.target.value) },
    h("option", { value: "" }, `All ${label.toLowerCase()}`),
    options.map((option) => h("option", { value: option }, option)),
  );
  input.value = list.filters[name];
  return h("div", { class: "field inline" }, h("label", { for: input.id }, label), input);
}

function listHead(user) {
  return h(
    "div",
    { class: "page-head" },
    h("h2", { id: "charters-title", tabindex: "-1" }, "Charters"),
    user.role === "admin" ? h("a", { class: "button", href: "#/charters/new" }, "New charter") : null,
  );
}

function listFilters(list) {
  return h(
    "div",
    { class: "filters" },
    h("div", { class: "segmented", role: "group", "aria-label": "Which charters" }, list.whenButtons),
    filterSelect(list, "entity", "Entities", list.settings.entities),
    filterSelect(list, "status", "Statuses", list.settings.statuses),
  );
}

function chartersTable(list) {
  return h(
    "div",
    { class: "table-wrap" },
    asCards(h(
      "table",
      { class: "charters" },
      h("caption", { class: "visually-hidden" }, "Charters"),
      columnHeads(["Date", "Time", "Charter", "Entity", "Status", "Checklist"]),
      list.body,
    )),
  );
}

// ---- The detail ---------------------------------------------------------------------------

export async function detailView(context, id) {
  const event = await api("GET", `/api/events/${encodeURIComponent(id)}`);
  const detail = charterDetail(context, event);
  drawChecklist(detail);
  drawCountdown(detail);
  const timer = setInterval(() => drawCountdown(detail), 30000);
  context.onLeave(() => clearInterval(timer));
  return h(
    "article",
    { class: "charter", "aria-labelledby": "charter-title" },
    h("p", {}, h("a", { href: "#/charters" }, "← All charters")),
    detailHead(detail),
    h("p", {}, tag(event.status), " ", h("span", { class: "muted" }, event.entity)),
    h("div", { class: "panels" }, timingCard(detail), bookingCard(event)),
    checklistCard(detail),
  );
}

/** The detail's state for this visit: the charter as last saved, and what is redrawn. */
function charterDetail(context, event) {
  return {
    context,
    event,
    zone: context.settings.timezone,
    progressBox: h("div", { "aria-live": "polite" }),
    items: h("ul", { class: "checklist" }),
    countdown: h("dd", { class: "countdown" }),
  };
}

function drawChecklist(detail) {
  const [done, total, words] = checklistWords(detail.event);
  const percent = total ? Math.round((100 * done) / total) : 0;
  detail.progressBox.replaceChildren(total ? progress(done, total, `${words} (${percent}%)`) : h("p", { class: "muted" }, "No checklist items yet."));
  detail.items.replaceChildren(...detail.event.checklist.map((item) => checklistItem(detail, item)));
}

function checklistItem(detail, item) {
  const box = h("input", { type: "checkbox", id: `item-${item.id}`, checked: item.done });
  box.addEventListener("change", () => tick(detail, item, box));
  return h("li", {}, box, h("label", { for: box.id }, item.text));
}

/** Save a checklist item's tick; on failure the box goes back and the notice says why. */
async function tick(detail, item, box) {
  const path = `/api/events/${encodeURIComponent(detail.event.id)}/checklist/${encodeURIComponent(item.id)}`;
  box.disabled = true;
  try {
    detail.event = await api("PUT", path, { done: box.checked });
    drawChecklist(detail);
  } catch (error) {
    box.checked = !box.checked;
    detail.context.notice(`Could not save “${item.text}”: ${error.message}`, "bad");
  } finally {
    box.disabled = false;
  }
}

/** "Departs in 3 days 4 h", "Under way, back in 2 h", … on the business's clocks. */
function countdownWords(event, zone) {
  if (!event.start_time) return "No start time set";
  const start = zonedInstant(event.date, event.start_time, zone);
  const end = event.end_time ? zonedInstant(event.date, event.end_time, zone) : start;
  const now = Date.now();
  if (event.status === "cancelled") return "Cancelled";
  if (now < start) return `Departs ${relativeWords(start, now)}`;
  if (now < end) return `Under way, back ${relativeWords(end, now)}`;
  return `Departed ${relativeWords(start, now)}`;
}

function drawCountdown(detail) {
  detail.countdown.textContent = countdownWords(detail.event, detail.zone);
}

async function removeCharter(detail) {
  const { event, context } = detail;
  if (!window.confirm(`Delete “${event.title}”? This cannot be undone.`)) return;
  try {
    await api("DELETE", `/api/events/${encodeURIComponent(event.id)}`);
    context.notice(`Deleted “${event.title}”.`, "good");
    context.go("#/charters");
  } catch (error) {
    context.notice(`Could not delete: ${error.message}`, "bad");
  }
}

function detailHead(detail) {
  const { event, context } = detail;
  const actions = h(
    "div",
    { class: "actions" },
    h("a", { class: "button", href: `#/charters/${event.id}/edit` }, "Edit"),
    h("button", { type: "button", class: "danger", onclick: () => removeCharter(detail) }, "Delete"),
  );
  return h(
    "div",
    { class: "page-head" },
    h("h2", { id: "charter-title", tabindex: "-1" }, event.title),
    context.user.role === "admin" ? actions : null,
  );
}

/** A term and its value in a facts list; an empty value shows as a dash. */
function fact(label, value) {
  return [h("dt", {}, label), h("dd", {}, value === undefined || value === null || value === "" ? "—" : value)];
}

function timingCard({ event, zone, countdown }) {
  return h(
    "section",
    { class: "card", "aria-labelledby": "timing-title" },
    h("h3", { id: "timing-title" }, "Timing"),
    h(
      "dl",
      { class: "facts" },
      fact("Date", longDate(event.date)),
      fact("Start", event.start_time ? `${event.start_time} ${zoneAbbreviation(event.date, event.start_time, zone)}`.trim() : event.start_time),
      fact("End", event.end_time ? `${event.end_time} ${zoneAbbreviation(event.date, event.end_time, zone)}`.trim() : event.end_time),
      fact("Duration", durationWords(minutesBetween(event.start_time, event.end_time))),
      h("dt", {}, "Departure"),
      countdown,
    ),
    h("p", { class: "hint" }, `Times are local to ${zone}.`),
  );
}

function bookingCard(event) {
  const balance = event.price !== undefined ? Number(event.price) - Number(event.deposit || 0) : null;
  return h(
    "section",
    { class: "card", "aria-labelledby": "booking-title" },
    h("h3", { id: "booking-title" }, "Booking"),
    h(
      "dl",
      { class: "facts" },
      fact("Contact", event.contact_email),
      fact("Guests", event.guests),
      fact("Price", dollars(event.price)),
      fact("Deposit", dollars(event.deposit)),
      fact("Balance due", balance === null ? null : dollars(balance)),
    ),
    event.notes ? h("p", { class: "notes" }, event.notes) : null,
  );
}

function checklistCard(detail) {
  return h(
    "section",
    { class: "card", "aria-labelledby": "checklist-title" },
    h("h3", { id: "checklist-title" }, "Checklist"),
    detail.progressBox,
    detail.items,
  );
}

// ---- The create/edit form -----------------------------------------------------------------

export async function formView(context, id) {
  const existing = id ? await api("GET", `/api/events/${encodeURIComponent(id)}`) : null;
  const save = h("button", { type: "submit" }, existing ? "Save changes" : "Create charter");
  const form = charterForm(context.settings, existing, save);
  onSubmit(form, save, () => saveCharter(context, form, existing));
  return h(
    "section",
    { "aria-labelledby": "form-title" },
    h("p", {}, h("a", { href: existing ? `#/charters/${existing.id}` : "#/charters" }, "← Back")),
    h("h2", { id: "form-title", tabindex: "-1" }, existing ? `Edit “${existing.title}”` : "New charter"),
    form,
  );
}

/** Makers of the form's controls, each filled with the charter's value (if it exists). */
function formControls(existing) {
  const value = (name) => (existing && existing[name] !== undefined && existing[name] !== null ? existing[name] : "");
  const id = (name) => `charter-${name}`;
  return {
    value,
    input: (name, props = {}) => h("input", { name, id: id(name), value: String(value(name)), ...props }),
    choose(name, options, fallback) {
      const select = h("select", { name, id: id(name) }, options.map((option) => h("option", { value: option }, option)));
      select.value = value(name) || fallback;
      return select;
    },
    textarea(name, rows, text) {
      const area = h("textarea", { name, id: id(name), rows });
      area.value = text;
      return area;
    },
  };
}

function charterForm(settings, existing, save) {
  const controls = formControls(existing);
  const checklist = existing ? existing.checklist.map((item) => item.text).join("\n") : DEFAULT_CHECKLIST;
  return h(
    "form",
    { novalidate: true, class: "charter-form" },
    h("div", { class: "grid" }, charterFields(settings, controls)),
    field("Checklist", controls.textarea("checklist", 5, checklist), "One item per line. Ticked items stay ticked when their text is unchanged."),
    field("Notes", controls.textarea("notes", 3, controls.value("notes"))),
    formAlert(),
    h("div", { class: "actions" }, save, h("a", { class: "button secondary", href: existing ? `#/charters/${existing.id}` : "#/charters" }, "Cancel")),
  );
}

function charterFields(settings, { input, choose }) {
  return [
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
  ];
}

/** The API body from the form: numbers as numbers; on edit, an emptied field is cleared. */
function charterBody(form, existing) {
  const data = new FormData(form);
  const body = {};
  for (const name of FORM_FIELDS) {
    const text = String(data.get(name) || "").trim();
    if (text) body[name] = NUMBER_FIELDS.includes(name) ? Number(text) : text;
    else if (existing) body[name] = null;  // clearing a field on edit
  }
  body.checklist = checklistItems(String(data.get("checklist") || ""), existing ? existing.checklist : []);
  return body;
}

/** One item per line; a line whose text is unchanged keeps its id and its tick. */
function checklistItems(text, before) {
  return text
    .split("\n").map((line) => line.trim()).filter(Boolean)
    .map((line) => {
      const kept = before.find((item) => item.text === line);
      return kept ? { id: kept.id, text: line, done: kept.done } : { text: line };
    });
}

async function saveCharter(context, form, existing) {
  const body = charterBody(form, existing);
  const stored = existing
    ? await api("PATCH", `/api/events/${encodeURIComponent(existing.id)}`, body)
    : await api("POST", "/api/events", body);
  context.notice(existing ? `Saved “${stored.title}”.` : `Created “${stored.title}”.`, "good");
  context.go(`#/charters/${stored.id}`);
}
