// The Reports page's run panel: the run being followed (progress bar, a row per report, the
// retry of its failed reports), the polling that follows it until it ends, and the history of
// runs. Each visit of the page makes its own panel; leaving the page stops its polling.
import { api } from "../api.js";
import { columnHeads, h, plural, progress, tag } from "../dom.js";
import { stamp } from "../time.js";

const FINISHED = new Set(["succeeded", "partial", "failed"]);
const SETTLED = new Set(["sent", "failed", "skipped", "dry_run"]);
const POLL_MS = 1000;

const countOf = (run, status) => run.reports.filter((report) => report.status === status).length;
const settledOf = (run) => run.reports.filter((report) => SETTLED.has(report.status)).length;

/** A run panel for one visit of the Reports page. `titles` maps report ids to titles;
 *  `onRunEnded` is called when a followed run ends (the page refreshes its lists). */
export function runPanel(context, titles, onRunEnded) {
  const panel = newPanel(context, titles, onRunEnded);
  panel.retry.addEventListener("click", () => retryFailed(panel));
  context.onLeave(() => stop(panel));
  return {
    sections: [panel.section, historySection(panel)],
    follow: (id, watching) => follow(panel, id, watching),
    followUnfinished: (runs) => followUnfinished(panel, runs),
    drawHistory: (runs) => drawHistory(panel, runs),
    reveal: () => panel.section.scrollIntoView({ block: "nearest" }),
  };
}

function newPanel(context, titles, onRunEnded) {
  const panel = {
    context,
    titles,
    onRunEnded,
    heading: h("h3", { id: "run-title" }, "Current run"),
    state: h("p", { class: "run-state", role: "status", "aria-live": "polite" }),
    bar: h("div"),
    rows: h("tbody"),
    retry: h("button", { type: "button", hidden: true }, "Retry failed reports"),
    history: h("tbody"),
    timer: null,
    runId: null,
    stopped: false,  // the page was left: an answer still on its way must not poll again
  };
  panel.section = currentRunSection(panel);
  return panel;
}

function currentRunSection(panel) {
  const table = h("table", {}, columnHeads(["Report", "Status", "Recipients", "Sent", "Error"]), panel.rows);
  return h(
    "section",
    { class: "card run", "aria-labelledby": "run-title", hidden: true },
    panel.heading,
    panel.state,
    panel.bar,
    h("div", { class: "table-wrap" }, table),
    panel.retry,
  );
}

function historySection(panel) {
  const table = h("table", { class: "history" }, columnHeads(["Started", "Trigger", "Status", "Sent", "Failed", ""]), panel.history);
  return h(
    "section",
    { "aria-labelledby": "history-title" },
    h("h3", { id: "history-title" }, "Run history"),
    h("div", { class: "table-wrap" }, table),
  );
}

function stop(panel) {
  panel.stopped = true;
  clearTimeout(panel.timer);
}

function stateWords(run) {
  const settled = settledOf(run);
  const failed = countOf(run, "failed");
  return FINISHED.has(run.status)
    ? `Run ${run.status}: ${settled} of ${run.reports.length} done${failed ? `, ${failed} failed` : ""}.`
    : `Sending… ${settled} of ${run.reports.length} done.`;
}

function reportRow(panel, report) {
  return h(
    "tr",
    { dataset: { runReport: report.id } },
    h("th", { scope: "row" }, panel.titles[report.id] || report.id),
    h("td", {}, tag(report.status)),
    h("td", {}, report.recipients.join(", ") || "—"),
    h("td", {}, report.sent_at ? stamp(report.sent_at) : "—"),
    h("td", { class: report.error ? "error" : "" }, report.error || ""),
  );
}

function drawRun(panel, run) {
  const settled = settledOf(run);
  panel.heading.textContent = `Run ${run.run_id.slice(0, 8)}${run.dry_run ? " (dry run)" : ""}`;
  panel.state.replaceChildren(tag(run.status), " ", stateWords(run));
  panel.bar.replaceChildren(progress(settled, run.reports.length, `${settled} of ${run.reports.length} reports done`));
  panel.rows.replaceChildren(...run.reports.map((report) => reportRow(panel, report)));
  panel.retry.hidden = !(FINISHED.has(run.status) && countOf(run, "failed"));
}

// `watching` is true while this panel saw the run unfinished: its end is then news worth
// the notice at the top of the page; an old run opened from the history is not.
async function follow(panel, id, watching = false) {
  clearTimeout(panel.timer);
  panel.runId = id;
  panel.section.hidden = false;
  try {
    const run = await api("GET", `/api/report-runs/${encodeURIComponent(id)}`);
    if (panel.stopped || id !== panel.runId) return;
    drawRun(panel, run);
    if (!FINISHED.has(run.status)) {
      panel.timer = setTimeout(() => follow(panel, id, true), POLL_MS);
    } else {
      if (watching) announce(panel.context, run);
      panel.onRunEnded();
    }
  } catch (error) {
    if (panel.stopped) return;
    panel.state.replaceChildren(h("span", { class: "error" }, `Could not read the run: ${error.message}. Retrying…`));
    panel.timer = setTimeout(() => follow(panel, id), POLL_MS * 3);
  }
}

/** Follow the run still under way, if any (one started elsewhere, or before a reload). */
function followUnfinished(panel, runs) {
  const running = runs.find((run) => !FINISHED.has(run.status));
  if (running) follow(panel, running.run_id, true);
}

function announce(context, run) {
  const failed = countOf(run, "failed");
  const done = run.reports.length - failed;
  if (!failed) {
    context.notice(run.dry_run ? `Dry run finished: ${plural(done, "report")} rendered and archived, none emailed.` : `Sent: ${plural(done, "report")} emailed.`, "good");
  } else {
    context.notice(`${failed} of ${run.reports.length} reports failed; the reasons are below. Fix them, then retry: only the failed reports are sent again.`, "bad");
  }
}

async function retryFailed(panel) {
  const { notice } = panel.context;
  panel.retry.disabled = true;
  try {
    await api("POST", `/api/report-runs/${encodeURIComponent(panel.runId)}/retry`, {});
    notice("Sending the failed reports again…", "info");
    follow(panel, panel.runId, true);
  } catch (error) {
    notice(`Retry refused: ${error.message}`, "bad");
  } finally {
    panel.retry.disabled = false;
  }
}

function historyRow(panel, run) {
  const show = h("button", { type: "button", class: "small secondary", onclick: () => follow(panel, run.run_id), "aria-label": `Show run of ${stamp(run.started_at)}` }, "Show");
  return h(
    "tr",
    {},
    h("td", {}, stamp(run.started_at)),
    h("td", {}, run.trigger),
    h("td", {}, tag(run.status), run.dry_run ? " dry run" : ""),
    h("td", {}, `${countOf(run, "sent") + countOf(run, "dry_run")} of ${run.reports.length}`),
    h("td", {}, String(countOf(run, "failed"))),
    h("td", {}, show),
  );
}

function drawHistory(panel, runs) {
  if (!runs.length) {
    panel.history.replaceChildren(h("tr", {}, h("td", { colspan: 6, class: "muted" }, "No runs yet.")));
    return;
  }
  panel.history.replaceChildren(...runs.map((run) => historyRow(panel, run)));
}
