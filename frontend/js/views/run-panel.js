// The Reports page's run panel: the run being followed (progress bar, a row per report with
// its recipients' delivery, the retry of a partial run and the resume of a stalled one), the
// polling that follows it, and the history of runs. Each visit of the page makes its own
// panel; leaving the page stops its polling.
import { api } from "../api.js";
import { columnHeads, h, plural, progress, tag } from "../dom.js";
import { asCards } from "./cards.js";

const FINISHED = new Set(["succeeded", "partial", "failed"]);
export const LIVE = new Set(["queued", "running"]);
const SETTLED = new Set(["sent", "failed", "skipped", "dry_run"]);
const POLL_MS = 1000;
const STALLED_POLL_MS = 5000;  // a stalled run may still be resumed elsewhere (a redelivery)

const countOf = (run, status) => run.reports.filter((report) => report.status === status).length;
const settledOf = (run) => run.reports.filter((report) => SETTLED.has(report.status)).length;
// Reports a transient error left pending: a retry (or the platform's redelivery) sends them.
const waitingOf = (run) => run.reports.filter((report) => report.status === "pending" && report.error).length;
const shortId = (id) => String(id).slice(0, 8);

/** The parts of an instant on the clocks of `zone` (the business's), with the zone's abbreviation. */
function zonedParts(iso, zone) {
  const when = new Date(iso);
  if (!iso || Number.isNaN(when.getTime())) return null;
  const options = {
    timeZone: zone || undefined, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short",
  };
  const parts = {};
  for (const part of new Intl.DateTimeFormat("en-US", options).formatToParts(when)) parts[part.type] = part.value;
  return parts;
}

/** "Mon 4 Dec 2026, 09:14 PST": every time on the page in the business's zone, saying which. */
export function zonedStamp(iso, zone) {
  const p = zonedParts(iso, zone);
  return p ? `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} ${p.timeZoneName}` : "—";
}

/** A run's human name: "Run of Mon 4 Dec, 09:14" (its start on the business's clocks). */
export function runName(run, zone) {
  const p = zonedParts(run && run.started_at, zone);
  return p ? `Run of ${p.weekday} ${p.day} ${p.month}, ${p.hour}:${p.minute}` : `Run ${shortId(run.run_id)}`;
}

/** A run panel for one visit of the Reports page. `titles` maps report ids to titles;
 *  `hooks` (all optional): `onRunEnded()` when a followed run ends or stalls (the page
 *  refreshes its lists), `onRunSeen(run)` with every summary read, `onRunStarted(id)` when
 *  the panel's Retry or Resume set a run going again. */
export function runPanel(context, titles, hooks = {}) {
  const panel = newPanel(context, titles, hooks);
  panel.retry.addEventListener("click", () => sendRest(panel, panel.retry, "Sending the failed reports again…"));
  panel.resume.addEventListener("click", () => sendRest(panel, panel.resume, "Resuming the run: only the reports not sent yet go out…"));
  context.onLeave(() => stop(panel));
  return {
    sections: [panel.section, historySection(panel)],
    follow: (id, watching) => follow(panel, id, watching),
    followUnfinished: (runs, preferred) => followUnfinished(panel, runs, preferred),
    followConflict: (error) => followConflict(panel, error),
    drawHistory: (runs) => drawHistory(panel, runs),
    shownRunId: () => panel.runId,
    reveal: () => panel.section.scrollIntoView({ block: "nearest" }),
  };
}

function newPanel(context, titles, hooks) {
  const panel = {
    context,
    titles,
    zone: context.settings && context.settings.timezone,  // every time in the business's zone
    hooks: { onRunEnded: () => {}, onRunSeen: () => {}, onRunStarted: () => {}, ...hooks },
    heading: h("h3", { id: "run-title" }, "Current run"),
    state: h("p", { class: "run-state", role: "status", "aria-live": "polite" }),
    bar: h("div"),
    rows: h("tbody"),
    retry: h("button", { type: "button", hidden: true }, "Retry failed reports"),
    resume: h("button", { type: "button", hidden: true }, "Resume"),
    history: h("tbody"),
    timer: null,
    ticket: 0,  // each follow() takes one; an answer to an older one is dropped (one poller at a time)
    runId: null,
    lastStatus: null,  // of the run followed, as last read: a change to "stalled" is news
    stopped: false,  // the page was left: an answer still on its way must not poll again
  };
  panel.section = currentRunSection(panel);
  return panel;
}

function currentRunSection(panel) {
  const table = asCards(h("table", {}, columnHeads(["Report", "Status", "Recipients", "Sent", "Error"]), panel.rows));
  return h(
    "section",
    { class: "card run", "aria-labelledby": "run-title", hidden: true },
    panel.heading,
    panel.state,
    panel.bar,
    h("div", { class: "table-wrap" }, table),
    h("div", { class: "actions" }, panel.retry, panel.resume),
  );
}

function historySection(panel) {
  const table = asCards(h("table", { class: "history" }, columnHeads(["Started", "Trigger", "Status", "Reports", "Failed", ""]), panel.history));
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
  const total = run.reports.length;
  const failed = countOf(run, "failed");
  const waiting = waitingOf(run);
  if (FINISHED.has(run.status)) {
    return `Run ${run.status}: ${settled} of ${total} done${failed ? `, ${failed} failed` : ""}${waiting ? `, ${waiting} will retry` : ""}.`;
  }
  if (run.status === "stalled") {
    return `Stalled: ${settled} of ${total} done when the run stopped. Resume sends only the reports not sent yet.`;
  }
  return `${run.dry_run ? "Rendering" : "Sending"}… ${settled} of ${total} done.`;
}

/** Per recipient, the latest delivery event SES reported (delivered, bounced, complained,
 *  rejected); recipients SES has not reported on yet say so. */
function deliveryList(report) {
  const latest = new Map();
  for (const event of report.deliveries || []) {
    const seen = latest.get(event.recipient);
    if (!seen || String(event.at || "") >= String(seen.at || "")) latest.set(event.recipient, event);
  }
  const addresses = [...new Set([...(report.recipients || []), ...latest.keys()])];
  return h(
    "ul",
    { class: "deliveries" },
    addresses.map((address) => {
      const event = latest.get(address);
      return h(
        "li",
        {},
        h("span", { class: "address" }, address),
        " ",
        event ? tag(event.status) : h("span", { class: "muted" }, "no word yet"),
      );
    }),
  );
}

function recipientsCell(report) {
  if ((report.deliveries || []).length) return deliveryList(report);
  return (report.recipients || []).join(", ") || "—";
}

function errorCell(report) {
  if (!report.error) return h("td", {}, "");
  if (report.status === "pending") return h("td", { class: "error will-retry" }, `will retry: ${report.error}`);
  return h("td", { class: "error" }, report.error);
}

function reportRow(panel, report) {
  return h(
    "tr",
    { dataset: { runReport: report.id } },
    h("th", { scope: "row" }, panel.titles[report.id] || report.id),
    h("td", {}, tag(report.status)),
    h("td", { class: "recipients" }, recipientsCell(report)),
    h("td", {}, report.sent_at ? zonedStamp(report.sent_at, panel.zone) : "—"),
    errorCell(report),
  );
}

function drawRun(panel, run) {
  const settled = settledOf(run);
  panel.heading.textContent = `${runName(run, panel.zone)}${run.dry_run ? " (dry run)" : ""}`;
  panel.heading.dataset.run = run.run_id;
  panel.state.replaceChildren(tag(run.status), " ", stateWords(run));
  panel.bar.replaceChildren(progress(settled, run.reports.length, `${settled} of ${run.reports.length} reports done`));
  panel.rows.replaceChildren(...run.reports.map((report) => reportRow(panel, report)));
  panel.retry.hidden = !(FINISHED.has(run.status) && (countOf(run, "failed") || waitingOf(run)));
  panel.resume.hidden = run.status !== "stalled";
}

// `watching` is true while this panel saw the run unfinished: its end is then news worth
// the notice at the top of the page; an old run opened from the history is not.
async function follow(panel, id, watching = false) {
  clearTimeout(panel.timer);
  const ticket = ++panel.ticket;
  if (id !== panel.runId) {
    panel.runId = id;
    panel.lastStatus = null;
  }
  panel.section.hidden = false;
  let run;
  try {
    run = await api("GET", `/api/report-runs/${encodeURIComponent(id)}`);
  } catch (error) {
    if (panel.stopped || ticket !== panel.ticket) return;
    panel.state.replaceChildren(h("span", { class: "error" }, `Could not read the run: ${error.message}. Retrying…`));
    panel.timer = setTimeout(() => follow(panel, id, watching), POLL_MS * 3);
    return;
  }
  if (panel.stopped || ticket !== panel.ticket) return;
  const before = panel.lastStatus;
  panel.lastStatus = run.status;
  drawRun(panel, run);
  panel.hooks.onRunSeen(run);
  if (FINISHED.has(run.status)) {
    if (watching) announce(panel.context, run);
    panel.hooks.onRunEnded();
    return;
  }
  if (run.status === "stalled" && before !== "stalled" && watching) {
    announceStalled(panel.context, run);
    panel.hooks.onRunEnded();
  }
  panel.timer = setTimeout(() => follow(panel, id, true), run.status === "stalled" ? STALLED_POLL_MS : POLL_MS);
}

/** Follow the run still under way, if any (one started elsewhere, or before a reload): the
 *  `preferred` one first, then any live run, then a stalled one (to offer its Resume). */
function followUnfinished(panel, runs, preferred) {
  const live = runs.filter((run) => LIVE.has(run.status));
  const chosen = live.find((run) => run.run_id === preferred) || live[0];
  if (chosen) {
    follow(panel, chosen.run_id, true);
    return;
  }
  const stalled = runs.find((run) => run.status === "stalled");
  if (stalled) follow(panel, stalled.run_id);
}

/** A 409 run_in_progress: say which run holds the reports and follow it. False for any
 *  other error (the caller says it its own way). */
function followConflict(panel, error) {
  if (error.code !== "run_in_progress" || !error.runId) return false;
  panel.context.notice(
    `Nothing was sent: run ${shortId(error.runId)} is already sending some of these reports. It is shown below; send again once it has finished.`,
    "warn",
  );
  follow(panel, error.runId, true);
  panel.section.scrollIntoView({ block: "nearest" });
  return true;
}

function announce(context, run) {
  const failed = countOf(run, "failed");
  const waiting = waitingOf(run);
  const done = run.reports.length - failed - waiting;
  if (failed) {
    context.notice(`${failed} of ${run.reports.length} reports failed; the reasons are below. Fix them, then retry: only the failed reports are sent again.`, "bad");
  } else if (waiting) {
    context.notice(`${plural(waiting, "report")} could not be sent yet (a temporary error, shown below). Retry sends only those.`, "warn");
  } else {
    context.notice(run.dry_run ? `Dry run finished: ${plural(done, "report")} rendered and archived, none emailed.` : `Sent: ${plural(done, "report")} emailed.`, "good");
  }
}

function announceStalled(context, run) {
  const left = run.reports.length - settledOf(run);
  context.notice(`${runName(run, context.settings && context.settings.timezone)} stalled with ${plural(left, "report")} not sent. Resume sends only those.`, "warn");
}

/** Retry (a partial run) or Resume (a stalled one): the same route sends only what is left. */
async function sendRest(panel, button, words) {
  const { notice } = panel.context;
  const runId = panel.runId;
  button.disabled = true;
  try {
    await api("POST", `/api/report-runs/${encodeURIComponent(runId)}/retry`, {});
    if (panel.stopped) return;
    notice(words, "info");
    panel.hooks.onRunStarted(runId);
    follow(panel, runId, true);
  } catch (error) {
    if (panel.stopped) return;
    if (!followConflict(panel, error)) notice(`Retry refused: ${error.message}`, "bad");
  } finally {
    button.disabled = false;
  }
}

/** "Sent 8 of 8", or for a dry run (which emails nobody) "Dry run: 8 of 8 rendered". */
function historyCount(run) {
  const total = run.reports.length;
  return run.dry_run ? `Dry run: ${countOf(run, "dry_run")} of ${total} rendered` : `Sent ${countOf(run, "sent")} of ${total}`;
}

function historyRow(panel, run) {
  const show = h("button", { type: "button", class: "small secondary", onclick: () => follow(panel, run.run_id), "aria-label": `Show ${runName(run, panel.zone).replace(/^Run/, "run")}` }, "Show");
  return h(
    "tr",
    { dataset: { run: run.run_id } },
    h("td", {}, zonedStamp(run.started_at, panel.zone)),
    h("td", {}, run.trigger),
    h("td", {}, tag(run.status), run.dry_run ? [" ", tag("dry_run", "Dry run")] : ""),
    h("td", {}, historyCount(run)),
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
