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

let cleanups = [];
let navigations = 0;  // each route() takes a ticket; a page that loads after a newer one is dropped
let settings = null;
let expiryTimer = null;

let noticeShownAt = 0;

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
  expiryTimer = setTimeout(() => endSession("Your session has expired. Please sign in again."), Math.min(left, 2 ** 31 - 1));
}

async function route(navigation) {
  if (/token=/.test(location.hash)) {
    try {
      await redeemLinkInAddress();
    } catch (_) {
      return;  // the sign-in form already says why
    }
  }
  const current = session();
  if (!current || current.expired) {
    showSignIn(current && current.expired ? "Your session has expired. Please sign in again." : "");
    return;
  }
  const path = location.hash.replace(/^#/, "") || "/charters";
  if (!location.hash || location.hash === "#") {
    history.replaceState(null, "", "#/charters");
  }
  leave();
  const ticket = ++navigations;
  const mine = [];
  cleanups = mine;
  // A message outlives the navigation it announced ("Created …" then the new page), not more.
  if (navigation instanceof HashChangeEvent && Date.now() - noticeShownAt > 1500) notice("");
  drawChrome(current.user);
  watchExpiry(current);
  const found = ROUTES.map(([pattern, view, who]) => [path.match(pattern), view, who]).find(([match]) => match);
  const view = $("view");
  if (!found) {
    view.replaceChildren(h("h2", { tabindex: "-1" }, "Page not found"), h("p", {}, h("a", { href: "#/charters" }, "Go to the charters")));
    return;
  }
  const [match, render, who] = found;
  if (who === "admin" && current.user.role !== "admin") {
    view.replaceChildren(h("h2", { tabindex: "-1" }, "Admins only"), h("p", {}, "Ask an admin if you need this page."));
    return;
  }
  view.setAttribute("aria-busy", "true");
  try {
    settings = settings || (await api("GET", "/api/settings"));
    const context = {
      user: current.user,
      settings,
      notice,
      onLeave: (cleanup) => mine.push(cleanup),
      go: (hash) => { location.hash = hash; },
    };
    const content = await render(context, ...match.slice(1));
    if (ticket !== navigations) {
      for (const cleanup of mine) cleanup();  // the person moved on while this page loaded
      return;
    }
    if (!signedIn()) return;  // the session ended while the page loaded
    view.replaceChildren(content);
    // After a navigation inside the page, move focus to the new heading so a screen reader
    // announces it; on a fresh load, leave focus at the start (the skip link comes first).
    const heading = view.querySelector("h2");
    if (heading && navigation instanceof HashChangeEvent) heading.focus({ preventScroll: true });
  } catch (error) {
    if (ticket !== navigations || !signedIn()) return;
    view.replaceChildren(
      h("h2", { tabindex: "-1" }, "This page could not be loaded"),
      h("p", { class: "error", role: "alert" }, error.message),
      h("p", {}, h("button", { type: "button", onclick: () => route() }, "Try again")),
    );
  } finally {
    if (ticket === navigations) view.removeAttribute("aria-busy");
  }
}

whenSessionEnds(endSession);
$("sign-out").addEventListener("click", () => {
  endSession("You are signed out.");
  history.replaceState(null, "", location.pathname);
});
window.addEventListener("hashchange", route);
route();
