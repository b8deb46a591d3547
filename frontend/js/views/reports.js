// Reports (admins): the catalogue, a preview of each report before it goes out, the
// "Send reports" button, and recipients. The run that follows a send (its live progress,
// retry and the run history) is the run panel's (run-panel.js).
import { api, apiText } from "../api.js";
import { columnHeads, field, formAlert, h, onSubmit, plural, tag } from "../dom.js";
import { stamp } from "../time.js";
import { runPanel } from "./run-panel.js";

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

// ---- The catalogue page -------------------------------------------------------------------

export async function catalogueView(context) {
  const [catalogue, runs] = await loadCatalogueAndRuns();
  const page = cataloguePage(context, catalogue);
  drawCatalogue(page, catalogue);
  page.runs.drawHistory(runs);
  const send = context.handoff?.send;  // "Send this report", clicked on a preview page
  if (send) {
    page.dryRun.checked = send.dry;
    startRun(page, send.reports);
  } else {
    page.runs.followUnfinished(runs);
  }
  return catalogueLayout(page);
}

/** The catalogue page's state for this visit: its controls and its run panel. */
function cataloguePage(context, catalogue) {
  const page = {
    context,
    catalogue,
    rows: h("tbody"),
    dryRun: h("input", { type: "checkbox", id: "dry-run", name: "dry_run" }),
    send: h("button", { type: "button", class: "primary" }, "Send all reports"),
    selectAll: h("input", { type: "checkbox", id: "select-all", "aria-label": "Select every report" }),
  };
  const titles = Object.fromEntries(catalogue.map((report) => [report.id, report.title]));
  page.runs = runPanel(context, titles, () => refresh(page));
  page.send.addEventListener("click", () => startRun(page, picked(page)));
  page.dryRun.addEventListener("change", () => labelSendButton(page));
  page.selectAll.addEventListener("change", () => pickAll(page));
  return page;
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
    h("td", {}, stamp(report.last_sent_at)),
    h("td", {}, report.last_status ? tag(report.last_status) : "never sent"),
    h("td", {}, h("a", { class: "button small secondary", href: `#/reports/${report.id}`, "aria-label": `Preview ${report.title}` }, "Preview")),
  );
}

/** Draw the catalogue's rows, keeping the reports that were ticked. */
function drawCatalogue(page, catalogue) {
  const chosen = new Set(picked(page));
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

/** Start a run of `reports` (all of them when none or every one is picked); the panel follows it. */
async function startRun(page, reports) {
  const { notice } = page.context;
  page.send.disabled = true;
  const key = crypto.randomUUID();  // one click, one run: a repeat of this request returns the same run
  try {
    const body = { dry_run: page.dryRun.checked };
    if (reports && reports.length && reports.length < page.catalogue.length) body.reports = reports;
    const { run_id: runId } = await api("POST", "/api/generate-reports", body, { "Idempotency-Key": key });
    notice(page.dryRun.checked ? "Dry run started: the reports are rendered and archived, not emailed." : "Sending the reports…", "info");
    page.runs.follow(runId, true);
    page.runs.reveal();
    refresh(page);
  } catch (error) {
    notice(`The reports were not sent: ${error.message}`, "bad");
  } finally {
    page.send.disabled = false;
  }
}

function catalogueTable(page) {
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "catalogue" },
      h("caption", { class: "visually-hidden" }, "Report catalogue"),
      columnHeads([page.selectAll, "Report", "Audience", "Recipients", "Last sent", "Last status", ""]),
      page.rows,
    ),
  );
}

function sendBar(page) {
  const dryRun = h("div", { class: "check" }, page.dryRun, h("label", { for: "dry-run" }, "Dry run (render and archive, send nothing)"));
  return h("div", { class: "send-bar" }, dryRun, page.send);
}

function catalogueLayout(page) {
  return h(
    "section",
    { "aria-labelledby": "reports-title" },
    h("h2", { id: "reports-title", tabindex: "-1" }, "Reports"),
    h("p", { class: "muted" }, "Each report is built from the knowledge base, the ledger and live counts when it is sent. Preview one to see exactly what goes out."),
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
  const lastSent = report.last_sent_at ? `Last sent ${stamp(report.last_sent_at)}.` : "Never sent yet.";
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
