// Reports (admins): the catalogue, a preview of each report before it goes out, the
// "Send reports" button with its live progress and retry, the run history, and recipients.
import { api, apiText } from "../api.js";
import { field, formAlert, h, onSubmit, progress, tag } from "../dom.js";
import { stamp } from "../time.js";

const FINISHED = new Set(["succeeded", "partial", "failed"]);
const SETTLED = new Set(["sent", "failed", "skipped", "dry_run"]);
const POLL_MS = 1000;
let pendingSend = null;  // a send asked for on a preview page, started once the catalogue shows

function addresses(text) {
  return text.split(/[\s,;]+/).map((part) => part.trim()).filter(Boolean);
}

function recipientWords(recipients) {
  const to = recipients.to.length ? recipients.to.join(", ") : "nobody yet";
  return recipients.bcc.length ? `${to} (bcc ${recipients.bcc.join(", ")})` : to;
}

/** The panel that follows one run until it ends: progress bar, a row per report, retry. */
function runPanel(context, titles, refreshCatalogue) {
  const { onLeave, notice } = context;
  const heading = h("h3", { id: "run-title" }, "Current run");
  const state = h("p", { class: "run-state", role: "status", "aria-live": "polite" });
  const bar = h("div");
  const rows = h("tbody");
  const retry = h("button", { type: "button", hidden: true }, "Retry failed reports");
  const panel = h(
    "section",
    { class: "card run", "aria-labelledby": "run-title", hidden: true },
    heading,
    state,
    bar,
    h("div", { class: "table-wrap" }, h("table", {}, h("thead", {}, h("tr", {}, ["Report", "Status", "Recipients", "Sent", "Error"].map((name) => h("th", { scope: "col" }, name)))), rows)),
    retry,
  );
  let timer = null;
  let runId = null;
  let stopped = false;  // the page was left: an answer still on its way must not poll again
  onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });

  function draw(run) {
    const settled = run.reports.filter((report) => SETTLED.has(report.status)).length;
    const failed = run.reports.filter((report) => report.status === "failed").length;
    heading.textContent = `Run ${run.run_id.slice(0, 8)}${run.dry_run ? " (dry run)" : ""}`;
    const words = FINISHED.has(run.status)
      ? `Run ${run.status}: ${settled} of ${run.reports.length} done${failed ? `, ${failed} failed` : ""}.`
      : `Sending… ${settled} of ${run.reports.length} done.`;
    state.replaceChildren(tag(run.status), " ", words);
    bar.replaceChildren(progress(settled, run.reports.length, `${settled} of ${run.reports.length} reports done`));
    rows.replaceChildren(
      ...run.reports.map((report) =>
        h(
          "tr",
          { dataset: { runReport: report.id } },
          h("th", { scope: "row" }, titles[report.id] || report.id),
          h("td", {}, tag(report.status)),
          h("td", {}, report.recipients.join(", ") || "—"),
          h("td", {}, report.sent_at ? stamp(report.sent_at) : "—"),
          h("td", { class: report.error ? "error" : "" }, report.error || ""),
        ),
      ),
    );
    retry.hidden = !(FINISHED.has(run.status) && failed);
  }

  // `watching` is true while this panel saw the run unfinished: its end is then news worth
  // the notice at the top of the page; an old run opened from the history is not.
  async function follow(id, watching = false) {
    clearTimeout(timer);
    runId = id;
    panel.hidden = false;
    try {
      const run = await api("GET", `/api/report-runs/${encodeURIComponent(id)}`);
      if (stopped || id !== runId) return;
      draw(run);
      if (!FINISHED.has(run.status)) {
        timer = setTimeout(() => follow(id, true), POLL_MS);
      } else {
        if (watching) announce(run);
        refreshCatalogue();
      }
    } catch (error) {
      if (stopped) return;
      state.replaceChildren(h("span", { class: "error" }, `Could not read the run: ${error.message}. Retrying…`));
      timer = setTimeout(() => follow(id), POLL_MS * 3);
    }
  }

  function announce(run) {
    const failed = run.reports.filter((report) => report.status === "failed").length;
    const done = run.reports.length - failed;
    if (!failed) notice(run.dry_run ? `Dry run finished: ${done} report${done === 1 ? "" : "s"} rendered and archived, none emailed.` : `Sent: ${done} report${done === 1 ? "" : "s"} emailed.`, "good");
    else notice(`${failed} of ${run.reports.length} reports failed; the reasons are below. Fix them, then retry: only the failed reports are sent again.`, "bad");
  }

  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await api("POST", `/api/report-runs/${encodeURIComponent(runId)}/retry`, {});
      notice("Sending the failed reports again…", "info");
      follow(runId, true);
    } catch (error) {
      notice(`Retry refused: ${error.message}`, "bad");
    } finally {
      retry.disabled = false;
    }
  });
  return { panel, follow };
}

export async function catalogueView(context) {
  const { notice } = context;
  const [catalogue, runs] = await Promise.all([api("GET", "/api/reports"), api("GET", "/api/report-runs")]);
  const titles = Object.fromEntries(catalogue.map((report) => [report.id, report.title]));
  const rows = h("tbody");
  const history = h("tbody");
  const dryRun = h("input", { type: "checkbox", id: "dry-run", name: "dry_run" });
  const send = h("button", { type: "button", class: "primary" }, "Send all reports");
  const selectAll = h("input", { type: "checkbox", id: "select-all", "aria-label": "Select every report" });

  const picked = () => [...rows.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  function label() {
    const count = picked().length;
    send.textContent = `${count && count < catalogue.length ? `Send ${count} selected report${count === 1 ? "" : "s"}` : "Send all reports"}${dryRun.checked ? " (dry run)" : ""}`;
    selectAll.checked = count === catalogue.length;
    selectAll.indeterminate = count > 0 && count < catalogue.length;
  }

  function drawCatalogue(list) {
    const chosen = new Set(picked());
    rows.replaceChildren(
      ...list.map((report) => {
        const box = h("input", { type: "checkbox", value: report.id, id: `pick-${report.id}`, checked: chosen.has(report.id), onchange: label });
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
      }),
    );
    label();
  }

  function drawHistory(list) {
    history.replaceChildren(
      ...list.map((run) => {
        const count = (status) => run.reports.filter((report) => report.status === status).length;
        return h(
          "tr",
          {},
          h("td", {}, stamp(run.started_at)),
          h("td", {}, run.trigger),
          h("td", {}, tag(run.status), run.dry_run ? " dry run" : ""),
          h("td", {}, `${count("sent") + count("dry_run")} of ${run.reports.length}`),
          h("td", {}, String(count("failed"))),
          h("td", {}, h("button", { type: "button", class: "small secondary", onclick: () => tracker.follow(run.run_id), "aria-label": `Show run of ${stamp(run.started_at)}` }, "Show")),
        );
      }),
    );
    if (!list.length) history.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No runs yet.")));
  }

  async function refresh() {
    try {
      const [fresh, freshRuns] = await Promise.all([api("GET", "/api/reports"), api("GET", "/api/report-runs")]);
      drawCatalogue(fresh);
      drawHistory(freshRuns);
    } catch (_) { /* the run panel already shows the outcome; the lists refresh next time */ }
  }
  const tracker = runPanel(context, titles, refresh);

  async function start(reports) {
    send.disabled = true;
    const key = crypto.randomUUID();  // one click, one run: a repeat of this request returns the same run
    try {
      const body = { dry_run: dryRun.checked };
      if (reports && reports.length && reports.length < catalogue.length) body.reports = reports;
      const { run_id: runId } = await api("POST", "/api/generate-reports", body, { "Idempotency-Key": key });
      notice(dryRun.checked ? "Dry run started: the reports are rendered and archived, not emailed." : "Sending the reports…", "info");
      tracker.follow(runId, true);
      tracker.panel.scrollIntoView({ block: "nearest" });
      refresh();
    } catch (error) {
      notice(`The reports were not sent: ${error.message}`, "bad");
    } finally {
      send.disabled = false;
    }
  }
  send.addEventListener("click", () => start(picked()));
  dryRun.addEventListener("change", label);
  selectAll.addEventListener("change", () => {
    for (const box of rows.querySelectorAll("input[type=checkbox]")) box.checked = selectAll.checked;
    label();
  });

  drawCatalogue(catalogue);
  drawHistory(runs);
  const running = runs.find((run) => !FINISHED.has(run.status));
  if (pendingSend) {
    const { reports, dry } = pendingSend;
    pendingSend = null;
    dryRun.checked = dry;
    start(reports);
  } else if (running) {
    tracker.follow(running.run_id, true);
  }

  return h(
    "section",
    { "aria-labelledby": "reports-title" },
    h("h2", { id: "reports-title", tabindex: "-1" }, "Reports"),
    h("p", { class: "muted" }, "Each report is built from the knowledge base, the ledger and live counts when it is sent. Preview one to see exactly what goes out."),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { class: "catalogue" },
        h("caption", { class: "visually-hidden" }, "Report catalogue"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, selectAll), ["Report", "Audience", "Recipients", "Last sent", "Last status", ""].map((name) => h("th", { scope: "col" }, name)))),
        rows,
      ),
    ),
    h("div", { class: "send-bar" }, h("div", { class: "check" }, dryRun, h("label", { for: "dry-run" }, "Dry run (render and archive, send nothing)")), send),
    tracker.panel,
    h(
      "section",
      { "aria-labelledby": "history-title" },
      h("h3", { id: "history-title" }, "Run history"),
      h(
        "div",
        { class: "table-wrap" },
        h("table", { class: "history" }, h("thead", {}, h("tr", {}, ["Started", "Trigger", "Status", "Sent", "Failed", ""].map((name) => h("th", { scope: "col" }, name)))), history),
      ),
    ),
  );
}

function recipientsForm(context, report, recipients) {
  const to = h("textarea", { name: "to", id: "recipients-to", rows: 3 });
  const bcc = h("textarea", { name: "bcc", id: "recipients-bcc", rows: 2 });
  to.value = recipients.to.join("\n");
  bcc.value = recipients.bcc.join("\n");
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
    to.value = stored.to.join("\n");
    bcc.value = stored.bcc.join("\n");
    context.notice(`Saved the recipients of ${report.title}.`, "good");
  });
  return form;
}

export async function previewView(context, id) {
  const catalogue = await api("GET", "/api/reports");
  const report = catalogue.find((entry) => entry.id === id);
  if (!report) throw new Error(`There is no report “${id}”.`);
  const [html, text, recipients] = await Promise.all([
    apiText(`/api/reports/${encodeURIComponent(id)}/preview?format=html`),
    apiText(`/api/reports/${encodeURIComponent(id)}/preview?format=text`),
    api("GET", `/api/recipients/${encodeURIComponent(id)}`),
  ]);
  // sandbox="" : no scripts, no forms, no same-origin access — the email is only looked at.
  const frame = h("iframe", { sandbox: "", title: `HTML preview of ${report.title}`, class: "preview-frame", referrerpolicy: "no-referrer" });
  frame.srcdoc = html;
  const panels = {
    html: h("div", { role: "tabpanel", id: "panel-html", "aria-labelledby": "tab-html" }, frame),
    text: h("div", { role: "tabpanel", id: "panel-text", "aria-labelledby": "tab-text", hidden: true }, h("pre", { class: "preview-text", tabindex: "0" }, text)),
    recipients: h("div", { role: "tabpanel", id: "panel-recipients", "aria-labelledby": "tab-recipients", hidden: true }, recipientsForm(context, report, recipients)),
  };
  const tabs = Object.entries({ html: "HTML", text: "Plain text", recipients: "Recipients" }).map(([key, words]) =>
    h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, "aria-selected": String(key === "html"), tabindex: key === "html" ? "0" : "-1" }, words),
  );
  function choose(tab) {
    for (const other of tabs) {
      const chosen = other === tab;
      other.setAttribute("aria-selected", String(chosen));
      other.tabIndex = chosen ? 0 : -1;
      panels[other.id.slice(4)].hidden = !chosen;
    }
    tab.focus();
  }
  tabs.forEach((tab, index) => {
    tab.addEventListener("click", () => choose(tab));
    tab.addEventListener("keydown", (pressed) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[pressed.key];
      if (step) choose(tabs[(index + step + tabs.length) % tabs.length]);
    });
  });
  const sendThis = (dry) => () => {
    pendingSend = { reports: [id], dry };
    context.go("#/reports");
  };
  return h(
    "section",
    { "aria-labelledby": "preview-title" },
    h("p", {}, h("a", { href: "#/reports" }, "← All reports")),
    h("h2", { id: "preview-title", tabindex: "-1" }, report.title),
    h("p", { class: "muted" }, `For the ${report.audience}. Goes to ${recipientWords(recipients)}. ${report.last_sent_at ? `Last sent ${stamp(report.last_sent_at)}.` : "Never sent yet."}`),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "primary", onclick: sendThis(false) }, "Send this report"),
      h("button", { type: "button", class: "secondary", onclick: sendThis(true) }, "Dry run this report")),
    h("div", { role: "tablist", "aria-label": "Preview format", class: "tabs" }, tabs),
    Object.values(panels),
  );
}
