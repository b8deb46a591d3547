// The dashboard's shell: sign-in, the hash routes, the navigation, and the session's end.
import { api, forgetSession, saveSession, session, signedIn, whenSessionEnds } from "./api.js";
import { $, h } from "./dom.js";
import * as charters from "./views/charters.js";
import * as people from "./views/people.js";
import * as reports from "./views/reports.js";
import { signInView } from "./views/sign-in.js";
import * as tasks from "./views/tasks.js";

// [pattern, view, who may see it]; the first match wins.
const ROUTES = [
  [/^\/charters\/new$/, charters.formView, "admin"],
  [/^\/charters\/([\w-]+)\/edit$/, charters.formView, "admin"],
  [/^\/charters\/([\w-]+)$/, charters.detailView, "user"],
  [/^\/charters$/, charters.listView, "user"],
  [/^\/reports\/([\w.-]+)$/, reports.previewView, "admin"],
  [/^\/reports$/, reports.catalogueView, "admin"],
  [/^\/tasks$/, tasks.boardView, "user"],
  [/^\/people$/, people.peopleView, "admin"],
];
const NAV = [
  ["#/charters", "Charters", "user"],
  ["#/reports", "Reports", "admin"],
  ["#/tasks", "Tasks", "user"],
  ["#/people", "People", "admin"],
];
const EXPIRED = "Your session has expired. Please sign in again.";

let cleanups = [];
let navigations = 0;  // each route() takes a ticket; a page that loads after a newer one is dropped
let settings = null;
let expiryTimer = null;
let noticeShownAt = 0;
// What a page gave go() for the page it opens ({hash, given}); the next route() takes it.
let handoff = null;
// Per view, an object its page finds again on its next visit (the charter filters); kept until
// the session ends.
const memories = new Map();

export function notice(text, tone = "info") {
  noticeShownAt = Date.now();
  const box = $("notice");
  box.textContent = text || "";
  box.className = `notice notice-${tone}`;
  box.hidden = !text;
}

function leave() {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
}

function endSession(message) {
  forgetSession();
  settings = null;
  handoff = null;
  memories.clear();
  clearTimeout(expiryTimer);
  showSignIn(message);
}

function showSignIn(message) {
  leave();
  $("who").hidden = true;
  $("nav").hidden = true;
  $("view").replaceChildren(signInView({ notice }));
  notice(message || "", message ? "warn" : "info");
}

async function redeemLinkInAddress() {
  const match = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (!match) return;
  // The token leaves the address bar (and the history) before anything else happens.
  history.replaceState(null, "", `${location.pathname}${location.search}#/charters`);
  try {
    const data = await api("POST", "/api/auth/verify", { token: match[1] });
    saveSession(data.token, data.user);
    notice("");
  } catch (error) {
    forgetSession();
    showSignIn(`That sign-in link did not work: ${error.message} Ask for a new one below.`);
    throw error;
  }
}

/** Redeem a sign-in link in the address, if there is one; false when it did not work. */
async function redeemedAnyLink() {
  if (!/token=/.test(location.hash)) return true;
  try {
    await redeemLinkInAddress();
    return true;
  } catch (_) {
    return false;  // the sign-in form already says why
  }
}

function drawChrome(user) {
  $("who").hidden = false;
  $("who-email").textContent = user.email;
  $("who-role").textContent = user.role;
  const path = location.hash.replace(/^#/, "");
  const links = NAV.filter(([, , who]) => who === "user" || user.role === "admin").map(([href, label]) => {
    const current = path.startsWith(href.slice(1));
    return h("li", {}, h("a", { href, "aria-current": current ? "page" : null }, label));
  });
  $("nav-links").replaceChildren(...links);
  $("nav").hidden = false;
}

function watchExpiry(current) {
  clearTimeout(expiryTimer);
  const left = current.expires * 1000 - Date.now();
  // setTimeout cannot wait longer than ~24.8 days; sessions are hours long.
  expiryTimer = setTimeout(() => endSession(EXPIRED), Math.min(left, 2 ** 31 - 1));
}

/** Open `hash`; `given` (if any) is handed to the page it opens as `context.handoff`. */
function go(hash, given) {
  handoff = given === undefined ? null : { hash, given };
  location.hash = hash;
}

function takeHandoff() {
  const taken = handoff && handoff.hash === location.hash ? handoff.given : undefined;
  handoff = null;
  return taken;
}

function memoryOf(view) {
  if (!memories.has(view)) memories.set(view, {});
  return memories.get(view);
}

/** The path the address names; an empty address becomes the charters. */
function currentPath() {
  const path = location.hash.replace(/^#/, "") || "/charters";
  if (!location.hash || location.hash === "#") {
    history.replaceState(null, "", "#/charters");
  }
  return path;
}

/** Leave the page shown and start a visit of the next: its ticket, its cleanups, the chrome. */
function startVisit(navigation, current) {
  leave();
  const visit = { ticket: ++navigations, cleanups: [], navigation, user: current.user };
  cleanups = visit.cleanups;
  // A message outlives the navigation it announced ("Created …" then the new page), not more.
  if (navigation instanceof HashChangeEvent && Date.now() - noticeShownAt > 1500) notice("");
  drawChrome(current.user);
  watchExpiry(current);
  return visit;
}

function findRoute(path) {
  return ROUTES.map(([pattern, view, who]) => [path.match(pattern), view, who]).find(([match]) => match);
}

/** A page with only a heading and a line: not found, admins only. */
function showStop(title, line) {
  $("view").replaceChildren(h("h2", { tabindex: "-1" }, title), h("p", {}, line));
}

function pageContext(visit, view, given) {
  return {
    user: visit.user,
    settings,
    notice,
    onLeave: (cleanup) => visit.cleanups.push(cleanup),
    go,
    handoff: given,
    memory: memoryOf(view),
  };
}

function showContent(visit, content) {
  const view = $("view");
  view.replaceChildren(content);
  // After a navigation inside the page, move focus to the new heading so a screen reader
  // announces it; on a fresh load, leave focus at the start (the skip link comes first).
  const heading = view.querySelector("h2");
  if (heading && visit.navigation instanceof HashChangeEvent) heading.focus({ preventScroll: true });
}

function showLoadError(error) {
  $("view").replaceChildren(
    h("h2", { tabindex: "-1" }, "This page could not be loaded"),
    h("p", { class: "error", role: "alert" }, error.message),
    h("p", {}, h("button", { type: "button", onclick: () => route() }, "Try again")),
  );
}

/** Load the page and show it, unless the person moved on (or the session ended) meanwhile:
 *  then the page is dropped with its timers. */
async function showPage(visit, view, args, given) {
  const stale = () => visit.ticket !== navigations || !signedIn();
  $("view").setAttribute("aria-busy", "true");
  try {
    settings = settings || (await api("GET", "/api/settings"));
    const content = await view(pageContext(visit, view, given), ...args);
    if (stale()) {
      for (const cleanup of visit.cleanups) cleanup();
      return;
    }
    showContent(visit, content);
  } catch (error) {
    if (!stale()) showLoadError(error);
  } finally {
    if (visit.ticket === navigations) $("view").removeAttribute("aria-busy");
  }
}

async function route(navigation) {
  const given = takeHandoff();
  if (!(await redeemedAnyLink())) return;
  const current = session();
  if (!current || current.expired) {
    showSignIn(current && current.expired ? EXPIRED : "");
    return;
  }
  const path = currentPath();
  const visit = startVisit(navigation, current);
  const found = findRoute(path);
  if (!found) {
    showStop("Page not found", h("a", { href: "#/charters" }, "Go to the charters"));
    return;
  }
  const [match, view, who] = found;
  if (who === "admin" && current.user.role !== "admin") {
    showStop("Admins only", "Ask an admin if you need this page.");
    return;
  }
  await showPage(visit, view, match.slice(1), given);
}

whenSessionEnds(endSession);
$("sign-out").addEventListener("click", async () => {
  // Revoke the session on the server (every session of this person issued until now), then
  // forget it here; forgetting it alone would leave a copied token valid for hours.
  try {
    await api("POST", "/api/auth/sign-out");
  } catch (_) {
    // Already expired or revoked, or the server unreachable: the local copy goes anyway.
  }
  endSession("You are signed out.");
  history.replaceState(null, "", location.pathname);
});
window.addEventListener("hashchange", route);
route();
