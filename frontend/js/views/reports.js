// Reports (admins): the catalogue, a preview of each report before it goes out, the
// "Send reports" button (a real send is confirmed first, naming each report and its
// recipients; the button rests while a run this page started is live), and recipients. The
// run that follows a send (its live progress, retry and resume, the run history) is the run
// panel's (run-panel.js).
import { api, apiText } from "../api.js";
import { columnHeads, field, formAlert, h, onSubmit, plural, tag } from "../dom.js";
import { asCards } from "./cards.js";
import { LIVE, runPanel, zonedStamp } from "./run-panel.js";

const OWN_RUN_POLL_MS = 2000;  // the page's own run, checked while the panel shows another

function addresses(text) {
  return text.split(/[\s,;]+/).map((part) => part.trim()).filter(Boolean);
}

function recipientWords(recipients) {
  const to = recipients.to.length ? recipients.to.join(", ") : "nobody yet";
  return recipients.bcc.length ? `${to} (bcc ${recipients.bcc.join(", ")})` : to;
}

function loadCatalogueAndRuns() {
  return Promise.all([api("GET", "/api/reports"), api("GET", "/api/report-runs")]);
}

/** "Next send: Mon 7 Dec 2026, 06:00 PST (weekly)", in the schedule's own zone. */
export function scheduleWords(schedule) {
  if (!schedule) return "Next send: unknown";
  if (schedule.paused) return `Reports are paused: the schedule (${schedule.expression}) is disabled, so nothing goes out until it is enabled again.`;
  if (!schedule.next_send) return `Schedule: ${schedule.expression} (${schedule.zone})`;
  const rhythm = schedule.cadence === "custom" ? schedule.expression : schedule.cadence;
  return `Next send: ${zonedStamp(schedule.next_send, schedule.zone)} (${rhythm})`;
}

/** Where the schedule was read: EventBridge Scheduler, or the settings and why. */
export function scheduleSourceWords(schedule) {
  if (!schedule || !schedule.source) return "";
  const where = schedule.source === "settings" ? "the settings" : schedule.source;
  return schedule.reason ? `From ${where}: ${schedule.reason}.` : `From ${where}.`;
}

function scheduleLine(schedule) {
  const title = schedule && schedule.expression ? `${schedule.expression} in ${schedule.zone}` : undefined;
  const source = scheduleSourceWords(schedule);
  return h(
    "div",
    { class: "schedule" },
    h("p", { id: "report-schedule", title }, scheduleWords(schedule)),
    source ? h("p", { id: "report-schedule-source", class: "hint" }, source) : null,
  );
}

// ---- The catalogue page -------------------------------------------------------------------

export async function catalogueView(context) {
  const [[catalogue, runs], schedule] = await Promise.all([
    loadCatalogueAndRuns(),
    api("GET", "/api/reports/schedule").catch(() => null),  // the page still works without it
  ]);
  const page = cataloguePage(context, catalogue);
  page.schedule = schedule;
  drawCatalogue(page, catalogue);
  page.runs.drawHistory(runs);
  page.layout = catalogueLayout(page);
  takeBackOwnRun(page, runs);
  const send = context.handoff?.send;  // "Send this report", clicked on a preview page
  if (send) {
    page.dryRun.checked = send.dry;
    labelSendButton(page);
    startRun(page, send.reports);
  } else {
    page.runs.followUnfinished(runs, page.live);
  }
  return page.layout;
}

/** The catalogue page's state for this visit: its controls and its run panel. */
function cataloguePage(context, catalogue) {
  const page = {
    context,
    catalogue,
    rows: h("tbody"),
    dryRun: h("input", { type: "checkbox", id: "dry-run", name: "dry_run" }),
    send: h("button", { type: "button", class: "primary" }, "Send all reports"),
    sendHint: h("p", { id: "send-hint", class: "hint", hidden: true }, "Your run is still going out; you can send again once it has finished."),
    selectAll: h("input", { type: "checkbox", id: "select-all", "aria-label": "Select every report" }),
    layout: null,
    dialog: null,
    starting: false,  // a send is being confirmed or posted
    live: null,  // the id of the run this page started, while it is queued or running
    ownTimer: null,
    left: false,
  };
  const titles = Object.fromEntries(catalogue.map((report) => [report.id, report.title]));
  page.runs = runPanel(context, titles, {
    onRunEnded: () => refresh(page),
    onRunSeen: (run) => sawRun(page, run),
    onRunStarted: (runId) => ownRun(page, runId),
  });
  page.send.addEventListener("click", () => startRun(page, picked(page)));
  page.dryRun.addEventListener("change", () => labelSendButton(page));
  page.selectAll.addEventListener("change", () => pickAll(page));
  context.onLeave(() => leavePage(page));
  return page;
}

function leavePage(page) {
  page.left = true;
  clearTimeout(page.ownTimer);
  if (page.dialog) page.dialog.close();
}

function picked(page) {
  return [...page.rows.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
}

/** The send button says what it will do: all or the selection, for real or as a dry run. */
function labelSendButton(page) {
  const count = picked(page).length;
  const total = page.catalogue.length;
  const what = count && count < total ? `Send ${plural(count, "selected report")}` : "Send all reports";
  page.send.textContent = `${what}${page.dryRun.checked ? " (dry run)" : ""}`;
  page.selectAll.checked = count === total;
  page.selectAll.indeterminate = count > 0 && count < total;
}

function pickAll(page) {
  for (const box of page.rows.querySelectorAll("input[type=checkbox]")) box.checked = page.selectAll.checked;
  labelSendButton(page);
}

function catalogueRow(page, report, chosen) {
  const box = h("input", { type: "checkbox", value: report.id, id: `pick-${report.id}`, checked: chosen.has(report.id), onchange: () => labelSendButton(page) });
  return h(
    "tr",
    { dataset: { report: report.id } },
    h("td", {}, box, h("label", { for: box.id, class: "visually-hidden" }, `Select ${report.title}`)),
    h("th", { scope: "row" }, h("a", { href: `#/reports/${report.id}` }, report.title)),
    h("td", {}, report.audience),
    h("td", { class: "recipients" }, recipientWords(report.recipients)),
    h("td", {}, report.last_sent_at ? zonedStamp(report.last_sent_at, page.context.settings.timezone) : "never"),
    h("td", {}, report.last_status ? tag(report.last_status) : "never sent"),
    h("td", {}, h("a", { class: "button small secondary", href: `#/reports/${report.id}`, "aria-label": `Preview ${report.title}` }, "Preview")),
  );
}

/** Draw the catalogue's rows, keeping the reports that were ticked. */
function drawCatalogue(page, catalogue) {
  const chosen = new Set(picked(page));
  page.catalogue = catalogue;
  page.rows.replaceChildren(...catalogue.map((report) => catalogueRow(page, report, chosen)));
  labelSendButton(page);
}

async function refresh(page) {
  try {
    const [catalogue, runs] = await loadCatalogueAndRuns();
    drawCatalogue(page, catalogue);
    page.runs.drawHistory(runs);
  } catch (_) { /* the run panel already shows the outcome; the lists refresh next time */ }
}

// ---- Sending: one run at a time from this page, a real send confirmed first ----------------

/** Send rests while a send is being confirmed or posted and while the page's run is live. */
function showSendState(page) {
  page.send.disabled = page.starting || Boolean(page.live);
  page.sendHint.hidden = !page.live;
  // described by the hint only while it shows (a hidden hint would still be read out)
  if (page.live) page.send.setAttribute("aria-describedby", page.sendHint.id);
  else page.send.removeAttribute("aria-describedby");
}

/** `runId` is this page's run (a send, or the panel's retry or resume) until it ends. */
function ownRun(page, runId) {
  page.live = runId;
  page.context.memory.ownRun = runId;  // a return to the page within the session finds it again
  showSendState(page);
  watchOwnRun(page);
}

/** A summary of any run was read: the page's own run, once no longer live, frees Send. */
function sawRun(page, run) {
  if (run.run_id !== page.live || LIVE.has(run.status)) return;
  page.live = null;
  page.context.memory.ownRun = null;
  clearTimeout(page.ownTimer);
  showSendState(page);
}

/** On opening the page: the run this session started here earlier, if it is still live. */
function takeBackOwnRun(page, runs) {
  const earlier = page.context.memory.ownRun;
  const run = earlier && runs.find((each) => each.run_id === earlier);
  if (run && LIVE.has(run.status)) ownRun(page, earlier);
  else page.context.memory.ownRun = null;
}

/** The run panel reports on the run it shows; while it shows another (the admin opened an old
 *  run from the history), the page reads its own run itself until that run is no longer live. */
function watchOwnRun(page) {
  clearTimeout(page.ownTimer);
  if (!page.live || page.left) return;
  page.ownTimer = setTimeout(async () => {
    const runId = page.live;
    if (runId && page.runs.shownRunId() !== runId) {
      try {
        sawRun(page, await api("GET", `/api/report-runs/${encodeURIComponent(runId)}`));
      } catch (_) { /* read again on the next turn */ }
    }
    watchOwnRun(page);
  }, OWN_RUN_POLL_MS);
}

/** Start a run of `reports` (all of them when none or every one is picked); the panel follows
 *  it. A real send is confirmed first; a dry run emails nobody and goes at once. */
async function startRun(page, reports) {
  const { notice } = page.context;
  if (page.starting || page.live) {
    if (page.live) notice("The run you started is still going out; send again once it has finished.", "warn");
    return;
  }
  page.starting = true;
  showSendState(page);
  try {
    const dryRun = page.dryRun.checked;
    const body = { dry_run: dryRun };
    if (reports && reports.length && reports.length < page.catalogue.length) body.reports = reports;
    if (!dryRun && !(await confirmed(page, body.reports))) {
      if (!page.left) notice("Nothing was sent.", "info");
      return;
    }
    const key = crypto.randomUUID();  // one confirmed click, one run: a repeat of this request returns the same run
    const { run_id: runId } = await api("POST", "/api/generate-reports", body, { "Idempotency-Key": key });
    if (page.left) return;
    ownRun(page, runId);
    notice(dryRun ? "Dry run started: the reports are rendered and archived, not emailed." : "Sending the reports…", "info");
    page.runs.follow(runId, true);
    page.runs.reveal();
    refresh(page);
  } catch (error) {
    if (page.left) return;
    // 409 run_in_progress: the panel names the run that holds the reports and follows it;
    // anything else (422 idempotency_key_reused among them) is said as the API words it.
    if (!page.runs.followConflict(error)) notice(`The reports were not sent: ${error.message}`, "bad");
  } finally {
    page.starting = false;
    showSendState(page);
  }
}

/** Ask before a real send, naming each report and its recipients as they are stored now. */
async function confirmed(page, reports) {
  drawCatalogue(page, await api("GET", "/api/reports"));
  if (page.left || !page.layout.isConnected) return false;
  const wanted = reports ? new Set(reports) : null;
  const chosen = page.catalogue.filter((report) => !wanted || wanted.has(report.id));
  return askToSend(page, chosen);
}

function confirmItem(report) {
  const { to, bcc } = report.recipients;
  return h(
    "li",
    { dataset: { confirmReport: report.id } },
    h("span", { class: "confirm-report" }, report.title),
    h("span", { class: "confirm-to" }, `To: ${to.length ? to.join(", ") : "nobody yet"}`),
    bcc.length ? h("span", { class: "confirm-to" }, `BCC: ${bcc.join(", ")}`) : null,
  );
}

/** A modal dialog: resolves true on Send, false on Cancel, Escape or leaving the page. */
function askToSend(page, chosen) {
  const send = h("button", { type: "button", class: "primary" }, "Send");
  const cancel = h("button", { type: "button", class: "secondary", autofocus: true }, "Cancel");
  const dialog = h(
    "dialog",
    { class: "confirm", "aria-labelledby": "confirm-title", "aria-describedby": "confirm-lead" },
    h("h3", { id: "confirm-title" }, `Email ${plural(chosen.length, "report")} now?`),
    h("p", { id: "confirm-lead" }, "Each report goes out now to the recipients listed under it."),
    h("ul", { class: "confirm-list" }, chosen.map(confirmItem)),
    h("div", { class: "actions" }, send, cancel),
  );
  page.layout.append(dialog);
  page.dialog = dialog;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      page.dialog = null;
      dialog.remove();
      resolve(dialog.returnValue === "send");
    });
    send.addEventListener("click", () => dialog.close("send"));
    cancel.addEventListener("click", () => dialog.close("cancel"));
    dialog.showModal();
  });
}

function catalogueTable(page) {
  return h(
    "div",
    { class: "table-wrap" },
    asCards(h(
      "table",
      { class: "catalogue" },
      h("caption", { class: "visually-hidden" }, "Report catalogue"),
      columnHeads([page.selectAll, "Report", "Audience", "Recipients", "Last sent", "Last status", ""]),
      page.rows,
    )),
  );
}

function sendBar(page) {
  const dryRun = h("div", { class: "check" }, page.dryRun, h("label", { for: "dry-run" }, "Dry run (render and archive, send nothing)"));
  return h("div", { class: "send-bar" }, dryRun, h("div", { class: "send-action" }, page.send, page.sendHint));
}

function catalogueLayout(page) {
  return h(
    "section",
    { "aria-labelledby": "reports-title" },
    h("h2", { id: "reports-title", tabindex: "-1" }, "Reports"),
    h("p", { class: "muted" }, "Each report is built from the knowledge base, the ledger and live counts when it is sent. Preview one to see exactly what goes out."),
    scheduleLine(page.schedule),
    catalogueTable(page),
    sendBar(page),
    page.runs.sections,
  );
}

// ---- The preview page ---------------------------------------------------------------------

export async function previewView(context, id) {
  const preview = await loadPreview(id);
  const panels = previewPanels(context, preview);
  const { report, recipients } = preview;
  const lastSent = report.last_sent_at ? `Last sent ${zonedStamp(report.last_sent_at, context.settings.timezone)}.` : "Never sent yet.";
  return h(
    "section",
    { "aria-labelledby": "preview-title" },
    h("p", {}, h("a", { href: "#/reports" }, "← All reports")),
    h("h2", { id: "preview-title", tabindex: "-1" }, report.title),
    h("p", { class: "muted" }, `For the ${report.audience}. Goes to ${recipientWords(recipients)}. ${lastSent}`),
    sendButtons(context, id),
    h("div", { role: "tablist", "aria-label": "Preview format", class: "tabs" }, previewTabs(panels)),
    Object.values(panels),
  );
}

async function loadPreview(id) {
  const catalogue = await api("GET", "/api/reports");
  const report = catalogue.find((entry) => entry.id === id);
  if (!report) throw new Error(`There is no report “${id}”.`);
  const [html, text, recipients] = await Promise.all([
    apiText(`/api/reports/${encodeURIComponent(id)}/preview?format=html`),
    apiText(`/api/reports/${encodeURIComponent(id)}/preview?format=text`),
    api("GET", `/api/recipients/${encodeURIComponent(id)}`),
  ]);
  return { report, html, text, recipients };
}

/** The tab panels, keyed html, text and recipients; the first one shows. */
function previewPanels(context, { report, html, text, recipients }) {
  // sandbox="" : no scripts, no forms, no same-origin access — the email is only looked at.
  const frame = h("iframe", { sandbox: "", title: `HTML preview of ${report.title}`, class: "preview-frame", referrerpolicy: "no-referrer" });
  frame.srcdoc = html;
  const panel = (key, content) => h("div", { role: "tabpanel", id: `panel-${key}`, "aria-labelledby": `tab-${key}`, hidden: key !== "html" }, content);
  return {
    html: panel("html", frame),
    text: panel("text", h("pre", { class: "preview-text", tabindex: "0" }, text)),
    recipients: panel("recipients", recipientsForm(context, report, recipients)),
  };
}

/** The tabs over `panels`: a click or the arrow keys choose one. */
function previewTabs(panels) {
  const tabs = Object.entries({ html: "HTML", text: "Plain text", recipients: "Recipients" }).map(([key, words]) =>
    h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, "aria-selected": String(key === "html"), tabindex: key === "html" ? "0" : "-1" }, words),
  );
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => chooseTab(tabs, panels, tab));
    tab.addEventListener("keydown", (pressed) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[pressed.key];
      if (step) chooseTab(tabs, panels, tabs[(index + step + tabs.length) % tabs.length]);
    });
  });
  return tabs;
}

function chooseTab(tabs, panels, tab) {
  for (const other of tabs) {
    const chosen = other === tab;
    other.setAttribute("aria-selected", String(chosen));
    other.tabIndex = chosen ? 0 : -1;
    panels[other.id.slice(4)].hidden = !chosen;
  }
  tab.focus();
}

/** Send (or dry-run) this one report: the catalogue page starts the run and follows it. */
function sendButtons(context, id) {
  const sendThis = (dry) => () => context.go("#/reports", { send: { reports: [id], dry } });
  return h(
    "div",
    { class: "actions" },
    h("button", { type: "button", class: "primary", onclick: sendThis(false) }, "Send this report"),
    h("button", { type: "button", class: "secondary", onclick: sendThis(true) }, "Dry run this report"),
  );
}

function recipientsForm(context, report, recipients) {
  const to = h("textarea", { name: "to", id: "recipients-to", rows: 3 });
  const bcc = h("textarea", { name: "bcc", id: "recipients-bcc", rows: 2 });
  showRecipients(to, bcc, recipients);
  const save = h("button", { type: "submit" }, "Save recipients");
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    field("To", to, "One address per line (or separated by commas)."),
    field("BCC", bcc, "The archive address; it never shows in the message headers."),
    formAlert(),
    save,
  );
  onSubmit(form, save, async () => {
    const stored = await api("PUT", `/api/recipients/${encodeURIComponent(report.id)}`, { to: addresses(to.value), bcc: addresses(bcc.value) });
    showRecipients(to, bcc, stored);
    context.notice(`Saved the recipients of ${report.title}.`, "good");
  });
  return form;
}

function showRecipients(to, bcc, recipients) {
  to.value = recipients.to.join("\n");
  bcc.value = recipients.bcc.join("\n");
}
