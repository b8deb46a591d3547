// Ship Captain Crew dashboard (sign-in and charter list). Untrusted text is always inserted
// with textContent, never as HTML.
"use strict";

const SESSION_KEY = "scc.session";
const $ = (id) => document.getElementById(id);

function show(id, visible) { $(id).hidden = !visible; }

function notice(text) {
  $("notice").textContent = text;
  show("notice", Boolean(text));
}

function loadSession() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
    if (session && session.expires * 1000 > Date.now()) return session;
  } catch (_) { /* a corrupt entry is the same as none */ }
  localStorage.removeItem(SESSION_KEY);
  return null;
}

function saveSession(token, user) {
  const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
  localStorage.setItem(SESSION_KEY, JSON.stringify({ token, user, expires: claims.exp }));
}

async function api(method, path, body) {
  const session = loadSession();
  const headers = { "Content-Type": "application/json" };
  if (session) headers.Authorization = `Bearer ${session.token}`;
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && session) {
    signOut("Your session has ended. Please sign in again.");
  }
  if (!response.ok) {
    const error = new Error((data && data.error && data.error.message) || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function signOut(message) {
  localStorage.removeItem(SESSION_KEY);
  render();
  notice(message || "You are signed out.");
}

async function redeemLinkInAddress() {
  const match = location.hash.match(/token=([A-Za-z0-9_-]+)/);
  if (!match) return;
  history.replaceState(null, "", location.pathname + location.search);  // the token leaves the address bar
  try {
    const data = await api("POST", "/api/auth/verify", { token: match[1] });
    saveSession(data.token, data.user);
    notice("");
  } catch (error) {
    notice(`That sign-in link did not work: ${error.message}`);
  }
}

function cell(text) {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

async function loadCharters() {
  const rows = $("charter-rows");
  rows.replaceChildren();
  const data = await api("GET", "/api/events");
  for (const event of data.events) {
    const done = event.checklist.filter((item) => item.done).length;
    const tr = document.createElement("tr");
    tr.append(
      cell(event.date),
      cell([event.start_time, event.end_time].filter(Boolean).join("–")),
      cell(event.title),
      cell(event.entity),
      cell(event.status),
      cell(`${done}/${event.checklist.length}`),
    );
    rows.append(tr);
  }
}

function render() {
  const session = loadSession();
  show("sign-in", !session);
  show("charters", Boolean(session));
  show("who", Boolean(session));
  if (session) {
    $("who-email").textContent = session.user.email;
    $("who-role").textContent = session.user.role;
    loadCharters().catch((error) => notice(`Could not load charters: ${error.message}`));
  }
}

$("sign-in-form").addEventListener("submit", async (submitted) => {
  submitted.preventDefault();
  const email = $("email").value.trim();
  show("sign-in-error", false);
  if (!email.includes("@")) {
    $("sign-in-error").textContent = "Enter your email address.";
    show("sign-in-error", true);
    return;
  }
  try {
    await api("POST", "/api/auth/magic-link", { email });
    show("sign-in-form", false);
    show("check-inbox", true);
  } catch (error) {
    $("sign-in-error").textContent = error.message;
    show("sign-in-error", true);
  }
});
$("sign-out").addEventListener("click", () => signOut());

// A link opened in a tab that already shows the dashboard changes only the hash.
window.addEventListener("hashchange", () => redeemLinkInAddress().then(render));
redeemLinkInAddress().then(render);
