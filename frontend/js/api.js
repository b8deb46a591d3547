// Talking to /api: the session (kept in localStorage until it expires), JSON calls, errors.

const SESSION_KEY = "scc.session";
let onSessionEnded = () => {};

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `The server answered ${status}.`);
    this.status = status;
    this.code = error.code;
    this.field = error.field;
    this.runId = error.run_id;  // run_in_progress: the run that holds the reports asked for
  }
}

/** Called with a message when the server says the session is no longer valid. */
export function whenSessionEnds(callback) { onSessionEnded = callback; }

export function session() {
  try {
    const stored = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
    if (stored && stored.expires * 1000 > Date.now()) return stored;
    if (stored) {
      localStorage.removeItem(SESSION_KEY);
      return { expired: true };
    }
  } catch (_) {
    localStorage.removeItem(SESSION_KEY);  // a corrupt entry is the same as none
  }
  return null;
}

export function signedIn() {
  const current = session();
  return current && !current.expired ? current : null;
}

export function saveSession(token, user) {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  const claims = JSON.parse(atob(payload));
  localStorage.setItem(SESSION_KEY, JSON.stringify({ token, user, expires: claims.exp }));
}

export function forgetSession() { localStorage.removeItem(SESSION_KEY); }

async function call(method, path, body, headers, read) {
  const current = signedIn();
  const sent = { Accept: "application/json", ...headers };
  if (body !== undefined) sent["Content-Type"] = "application/json";
  if (current) sent.Authorization = `Bearer ${current.token}`;
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (_) {
    throw new ApiError(0, { error: { message: "The server could not be reached. Check your connection and try again." } });
  }
  if (response.status === 401 && current) {
    forgetSession();
    onSessionEnded("Your session has expired. Please sign in again.");
  }
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  if (response.status === 204) return null;
  return read(response);
}

/** A JSON call: resolves with the parsed body, rejects with an ApiError carrying the field. */
export function api(method, path, body, headers) {
  return call(method, path, body, headers, (response) => response.json());
}

/** A call whose answer is text (a report's HTML or plain-text preview). */
export function apiText(path) {
  return call("GET", path, undefined, { Accept: "text/html, text/plain" }, (response) => response.text());
}

/** Every card on the task board, following GET /api/tasks's cursor page by page. */
export async function allTasks() {
  const tasks = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: "200" });
    if (cursor) query.set("cursor", cursor);
    const page = await api("GET", `/api/tasks?${query}`);
    tasks.push(...page.tasks);
    cursor = page.next_cursor;
  } while (cursor);
  return tasks;
}

/** Every page of a paged list such as GET /api/events. */
export async function allEvents() {
  const events = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: "500" });
    if (cursor) query.set("cursor", cursor);
    const page = await api("GET", `/api/events?${query}`);
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}
