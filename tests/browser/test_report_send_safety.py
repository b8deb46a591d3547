"""Sending reports safely from the dashboard: a real send is confirmed first (naming each report
and its recipients), Send rests while the page's own run is live, an overlapping send is refused
and the run already going out is shown, a stalled run offers Resume, dry runs say so in the
history, and the run panel shows each recipient's delivery and what will be retried.

The tests marked "server:" below need the server side of issue 13 (409 run_in_progress, dry
runs leaving "last sent" alone). The others drive the real server where it already behaves as
SPEC section 3 says, and answer the run routes from the test (`page.route`) where a state cannot
be produced on demand (a stalled run, SES delivery events, a transient error, a 409 or 422)."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from local_server import Server
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
REPORTS = 8
RUN_ENDED = "() => /Run (succeeded|partial|failed)/.test(document.querySelector('.run-state')?.textContent)"
# Every change of the run panel's status line, with the state of Send at that moment.
RECORD_SEND_STATE = """() => {
  window.sendStates = [];
  const state = document.querySelector('.run-state');
  const send = document.querySelector('.send-bar button');
  const hint = document.getElementById('send-hint');
  new MutationObserver(() => window.sendStates.push(
    {text: state.textContent, disabled: send.disabled, hint: !hint.hidden}
  )).observe(state, {childList: true, subtree: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """This module's own server, sending at one email every two seconds so that a run of the
    whole catalogue stays live for many seconds (a run another one can overlap)."""
    running = Server(tmp_path_factory.mktemp("serve-safety"), SES_MAX_SEND_RATE="0.5")
    yield running
    running.stop()


def catalogue(server, token) -> dict:
    status, reports = server.call("GET", "/api/reports", token=token)
    assert status == 200
    return {report["id"]: report for report in reports}


def confirm_send(page) -> None:
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Send", exact=True).click()
    dialog.wait_for(state="detached")


def wait_for_run_end(page, *, timeout_ms: int = 120_000) -> str:
    page.wait_for_function(RUN_ENDED, timeout=timeout_ms)
    return page.locator(".run-state").text_content()


def test_a_real_send_names_each_report_and_its_recipients_and_cancel_sends_nothing(server, page, sign_in):
    # GIVEN the CFO report going to two people with the archive in BCC
    token = sign_in(page)
    cfo_to = ["cfo@example.com", "books@example.com"]
    stored = {"to": cfo_to, "bcc": ["archive@example.com"]}
    status, _ = server.call("PUT", "/api/recipients/cfo", stored, token)
    assert status == 200
    reports = catalogue(server, token)
    posts = []
    page.on("request", lambda request: "/api/generate-reports" in request.url and posts.append(request.url))
    before = len(server.emails())
    page.goto(server.url + "/#/reports")
    # WHEN the admin picks the CFO and CMO reports and clicks Send
    page.get_by_label(f"Select {reports['cfo']['title']}").check()
    page.get_by_label(f"Select {reports['cmo']['title']}").check()
    send = page.get_by_role("button", name="Send 2 selected reports")
    send.click()
    # THEN a modal dialog asks first, naming each chosen report and its recipients, and no other
    dialog = page.get_by_role("dialog", name="Email 2 reports now?")
    dialog.wait_for()
    assert page.evaluate("document.querySelector('dialog').matches(':modal')")
    assert dialog.locator("li").count() == 2
    cfo = dialog.locator("li[data-confirm-report=cfo]")
    assert reports["cfo"]["title"] in cfo.text_content()
    assert f"To: {', '.join(cfo_to)}" in cfo.text_content()
    assert "BCC: archive@example.com" in cfo.text_content()
    cmo = dialog.locator("li[data-confirm-report=cmo]")
    assert reports["cmo"]["title"] in cmo.text_content()
    assert f"To: {', '.join(reports['cmo']['recipients']['to'])}" in cmo.text_content()
    for other in set(reports) - {"cfo", "cmo"}:
        assert reports[other]["title"] not in dialog.text_content()
    # AND the safe answer has the focus
    assert page.evaluate("document.activeElement.textContent") == "Cancel"
    # WHEN they cancel, THEN the dialog goes and nothing is posted or emailed
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="detached")
    page.get_by_text("Nothing was sent.").wait_for()
    expect(send).to_be_enabled()  # re-enabled only after the decision: a post would come first
    assert posts == []
    # AND Escape cancels the same way
    send.click()
    page.get_by_role("dialog").wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")
    expect(send).to_be_enabled()
    assert posts == []
    assert len(server.emails()) == before
    assert page.locator(".run").is_hidden()


def test_send_this_report_from_a_preview_asks_first_naming_that_report(server, page, sign_in):
    token = sign_in(page)
    reports = catalogue(server, token)
    posts = []
    page.on("request", lambda request: "/api/generate-reports" in request.url and posts.append(request.url))
    page.goto(server.url + "/#/reports/cfo")
    page.get_by_role("button", name="Send this report").click()
    dialog = page.get_by_role("dialog", name="Email 1 report now?")
    dialog.wait_for()
    assert dialog.locator("li").count() == 1
    assert reports["cfo"]["title"] in dialog.locator("li[data-confirm-report=cfo]").text_content()
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="detached")
    expect(page.get_by_role("button", name="Send all reports")).to_be_enabled()
    assert posts == []


def test_the_confirmation_fits_a_phone_and_names_its_controls(server, browser, sign_in):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page)
        page.goto(server.url + "/#/reports")
        page.get_by_role("button", name="Send all reports").click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        box = dialog.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(overflow) <= 0
        assert dialog.locator("li").count() == REPORTS
        names = page.evaluate(
            "() => [...document.querySelectorAll('dialog button')].map((b) => b.textContent)"
        )
        assert names == ["Send", "Cancel"]
        dialog.get_by_role("button", name="Cancel").click()
        dialog.wait_for(state="detached")
    finally:
        context.close()


def test_server_a_dry_run_needs_no_confirmation_and_leaves_last_sent_alone(server, page, sign_in):
    """server: dry runs never change "last sent"/"last status" (issue 13)."""
    sign_in(page)
    page.goto(server.url + "/#/reports")
    row = page.locator("table.catalogue tr[data-report=cmo]")
    row.wait_for()
    last_sent, last_status = row.locator("td").nth(3).text_content(), row.locator("td").nth(4).text_content()
    # WHEN the admin dry-runs the CMO report: no confirmation, the run starts at once
    page.get_by_label("Select CMO briefing: channels, listings and the list").check()
    page.get_by_label("Dry run (render and archive, send nothing)").check()
    page.get_by_role("button", name="Send 1 selected report (dry run)").click()
    assert "Run succeeded: 1 of 1 done." in wait_for_run_end(page)
    assert page.locator("dialog").count() == 0
    # THEN the history calls it a dry run
    history = page.locator("table.history tbody tr").first
    history.get_by_text("Dry run: 1 of 1 rendered").wait_for()
    assert "Sent" not in history.text_content()
    # AND the catalogue still shows the last real send
    assert row.locator("td").nth(3).text_content() == last_sent
    assert row.locator("td").nth(4).text_content() == last_status


def test_send_rests_while_the_run_the_page_started_is_live(server, page, sign_in):
    token = sign_in(page)
    reports = catalogue(server, token)
    page.goto(server.url + "/#/reports")
    page.get_by_label(f"Select {reports['ceo']['title']}").check()
    page.get_by_label(f"Select {reports['cmo']['title']}").check()
    send = page.get_by_role("button", name="Send 2 selected reports")
    send.wait_for()
    page.evaluate(RECORD_SEND_STATE)
    # WHEN the admin sends two reports and confirms
    with page.expect_request(lambda request: "/api/generate-reports" in request.url) as posted:
        send.click()
        confirm_send(page)
    body = json.loads(posted.value.post_data)
    assert body["dry_run"] is False and sorted(body["reports"]) == ["ceo", "cmo"]
    assert posted.value.headers.get("idempotency-key")
    status = wait_for_run_end(page)
    assert "Run succeeded: 2 of 2 done." in status
    expect(send).to_be_enabled()
    # THEN whenever the panel said the run was sending, Send was disabled and said why
    states = page.evaluate("window.sendStates")
    live = [state for state in states if "Sending…" in state["text"]]
    assert live, states
    assert all(state["disabled"] and state["hint"] for state in live), states
    # AND it came back when the run ended
    ended = [state for state in states if re.search(r"Run (succeeded|partial|failed)", state["text"])]
    assert ended and not ended[-1]["disabled"] and not ended[-1]["hint"], states
    # AND the history says what was sent; each report went out once
    run_id = page.locator("table.history tbody tr").first.get_attribute("data-run")
    page.locator(f"table.history tr[data-run='{run_id}']").get_by_text("Sent 2 of 2").wait_for()
    sent = sorted(message["X-SCC-Report-Id"] for message in server.report_emails(run_id))
    assert sent == ["ceo", "cmo"]


# ---- The run routes answered by the test: states the local server cannot be put in at will ----

STARTED = "2025-03-03T09:00:00+00:00"


def sent_report(report_id, recipients, **extra):
    return {
        "id": report_id,
        "status": "sent",
        "recipients": recipients,
        "message_id": f"m-{report_id}",
        "error": None,
        "sent_at": STARTED,
        **extra,
    }


def pending_report(report_id, recipient, error=None, **extra):
    return {
        "id": report_id,
        "status": "pending",
        "recipients": [recipient],
        "message_id": None,
        "error": error,
        "sent_at": None,
        **extra,
    }


def run_summary(run_id, status, reports, *, dry_run=False):
    return {
        "run_id": run_id,
        "trigger": "schedule",
        "status": status,
        "dry_run": dry_run,
        "started_at": STARTED,
        "finished_at": None,
        "reports": reports,
    }


class FakeRuns:
    """Answers GET /api/report-runs, GET /api/report-runs/{id}, POST …/retry and (when given)
    POST /api/generate-reports; anything else goes on to the real server."""

    def __init__(self, runs, *, generate=None, on_retry=None):
        self.runs = runs  # run id -> summary, or a list of summaries served one per read
        self.generate = generate  # (status, body) for POST /api/generate-reports
        self.on_retry = on_retry
        self.calls = []

    def summary(self, run_id):
        answer = self.runs[run_id]
        if isinstance(answer, list):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def __call__(self, route):
        request = route.request
        path = request.url.split("?")[0].split("/api/", 1)[1]
        self.calls.append((request.method, path))
        if path == "generate-reports" and request.method == "POST" and self.generate:
            status, body = self.generate
            return route.fulfill(status=status, json=body)
        if path == "report-runs" and request.method == "GET":
            return route.fulfill(json=[self.summary(run_id) for run_id in list(self.runs)])
        match = re.fullmatch(r"report-runs/([\w-]+)(/retry)?", path)
        if match and match.group(1) in self.runs:
            if match.group(2) and request.method == "POST":
                self.on_retry(match.group(1))
                return route.fulfill(status=202, json={"run_id": match.group(1)})
            return route.fulfill(json=self.summary(match.group(1)))
        return route.continue_()


def test_a_stalled_run_shows_stalled_and_resume_sends_the_rest(server, page, sign_in):
    # GIVEN a run whose worker died after sending one of three reports (its lease expired)
    sign_in(page)
    run_id = "5a11ed00-0000-4000-8000-000000000001"
    ceo, cfo, cmo = (sent_report(r, [f"{r}@example.com"]) for r in ("ceo", "cfo", "cmo"))
    waiting = [pending_report(r, f"{r}@example.com") for r in ("cfo", "cmo")]
    fake = FakeRuns({run_id: [run_summary(run_id, "stalled", [ceo, *waiting])]})

    def resumed(_):
        fake.runs[run_id] = [
            run_summary(run_id, "running", [ceo, cfo, waiting[1]]),
            run_summary(run_id, "succeeded", [ceo, cfo, cmo]),
        ]

    fake.on_retry = resumed
    page.route(re.compile(r"/api/(report-runs|generate-reports)"), fake)
    # WHEN the admin opens the reports page
    page.goto(server.url + "/#/reports")
    # THEN the stalled run is shown as stalled, with Resume (and no Retry)
    state = page.locator(".run-state")
    page.get_by_text("Stalled: 1 of 3 done when the run stopped.").wait_for()
    assert "stalled" in state.locator(".tag").text_content()
    resume = page.get_by_role("button", name="Resume")
    expect(resume).to_be_visible()
    expect(page.get_by_role("button", name="Retry failed reports")).to_be_hidden()
    assert "stalled" in page.locator(f"table.history tr[data-run='{run_id}']").text_content()
    page.evaluate(RECORD_SEND_STATE)
    # WHEN they click Resume, THEN the retry route is called once and the run is followed to its end
    resume.click()
    page.wait_for_function(RUN_ENDED)
    assert fake.calls.count(("POST", f"report-runs/{run_id}/retry")) == 1
    assert "Run succeeded: 3 of 3 done." in state.text_content()
    expect(resume).to_be_hidden()
    page.get_by_text("Sent: 3 reports emailed.").wait_for()
    # AND while the resumed run was live, Send rested
    states = page.evaluate("window.sendStates")
    assert [s["disabled"] for s in states if "Sending…" in s["text"]] == [True], states
    expect(page.locator(".send-bar button")).to_be_enabled()


def test_the_run_panel_shows_delivery_per_recipient_and_what_will_retry(server, page, sign_in):
    # GIVEN a partial run: the CEO report sent with SES events for its recipients, the CFO report
    # sent on older data (no deliveries recorded), the CMO report held back by throttling
    sign_in(page)
    run_id = "de11e700-0000-4000-8000-000000000002"
    deliveries = [
        {"recipient": "ceo@example.com", "status": "delivered", "at": "2025-03-03T09:00:05+00:00"},
        {"recipient": "ops@example.com", "status": "delivered", "at": "2025-03-03T09:00:05+00:00"},
        {"recipient": "ops@example.com", "status": "complained", "at": "2025-03-03T11:00:00+00:00"},
        {"recipient": "gone@example.com", "status": "bounced", "at": "2025-03-03T09:00:06+00:00"},
        {"recipient": "bad@example.com", "status": "rejected", "at": "2025-03-03T09:00:01+00:00"},
    ]
    to = ["ceo@example.com", "ops@example.com", "gone@example.com", "bad@example.com", "late@example.com"]
    throttled = "<b>Throttling</b>: Maximum sending rate exceeded."
    run = run_summary(
        run_id,
        "partial",
        [
            sent_report("ceo", to, deliveries=deliveries),
            sent_report("cfo", ["cfo@example.com"]),
            pending_report("cmo", "cmo@example.com", throttled, deliveries=[]),
        ],
    )
    page.route(re.compile(r"/api/(report-runs|generate-reports)"), FakeRuns({run_id: run}))
    page.goto(server.url + "/#/reports")
    # WHEN the admin opens the run from the history
    page.get_by_role("button", name=re.compile("^Show run of")).click()
    page.locator(".run tbody tr").nth(2).wait_for()
    # THEN each recipient of the CEO report has the latest word from SES
    words = page.locator(".run tr[data-run-report=ceo] .deliveries li").all_text_contents()
    assert words == [
        "ceo@example.com delivered",
        "ops@example.com complained",
        "gone@example.com bounced",
        "bad@example.com rejected",
        "late@example.com no word yet",
    ]
    assert page.locator(".run tr[data-run-report=ceo] .deliveries .tag-bad").count() == 3
    # AND a report without delivery records lists its recipients as before
    assert page.locator(".run tr[data-run-report=cfo] td.recipients").text_content() == "cfo@example.com"
    # AND the pending report says it will be retried and why, as text (the markup is not run)
    error = page.locator(".run tr[data-run-report=cmo] td.error")
    assert error.text_content() == f"will retry: {throttled}"
    assert error.locator("b").count() == 0
    assert "Run partial: 2 of 3 done, 1 will retry." in page.locator(".run-state").text_content()
    expect(page.get_by_role("button", name="Retry failed reports")).to_be_visible()
    expect(page.get_by_role("button", name="Resume")).to_be_hidden()


def test_a_409_names_the_run_going_out_and_follows_it(server, page, sign_in):
    sign_in(page)
    other = "0be12a90-0000-4000-8000-000000000003"
    message = "Another run is sending these reports."
    refusal = {"error": {"code": "run_in_progress", "run_id": other, "message": message}}
    going = run_summary(
        other, "running", [sent_report("ceo", ["ceo@example.com"]), pending_report("cfo", "cfo@example.com")]
    )
    fake = FakeRuns({}, generate=(409, refusal))
    page.route(re.compile(r"/api/(report-runs|generate-reports)"), fake)
    page.expected_errors.append("status of 409")
    page.goto(server.url + "/#/reports")
    page.get_by_role("button", name="Send all reports").wait_for()
    fake.runs[other] = going  # it starts elsewhere once the page is open
    # WHEN the admin sends every report and confirms
    page.get_by_role("button", name="Send all reports").click()
    confirm_send(page)
    # THEN the notice names the run already going out, and the run panel follows it
    page.get_by_text(f"Nothing was sent: run {other[:8]} is already sending some of these reports").wait_for()
    # (named by its start, "Run of Mon 4 Dec, 09:14"; the id stays on the heading)
    expect(page.locator("#run-title")).to_have_attribute("data-run", other)
    page.get_by_text("Sending… 1 of 2 done.").wait_for()
    # AND Send is free again (that run is not this page's)
    expect(page.get_by_role("button", name="Send all reports")).to_be_enabled()
    assert fake.calls.count(("POST", "generate-reports")) == 1


def test_a_422_says_the_apis_message(server, page, sign_in):
    sign_in(page)
    message = "This Idempotency-Key was already used with a different request."
    fake = FakeRuns({}, generate=(422, {"error": {"code": "idempotency_key_reused", "message": message}}))
    page.route(re.compile(r"/api/(report-runs|generate-reports)"), fake)
    page.expected_errors.append("status of 422")
    page.goto(server.url + "/#/reports")
    page.get_by_role("button", name="Send all reports").click()
    confirm_send(page)
    page.get_by_text(f"The reports were not sent: {message}").wait_for()
    expect(page.get_by_role("button", name="Send all reports")).to_be_enabled()
    assert page.locator(".run").is_hidden()


def test_server_a_send_overlapping_a_live_run_gets_409_and_each_report_goes_once(server, page, sign_in):
    """server: a real run asking for reports another real run holds in flight answers 409."""
    # GIVEN every report being sent by a run started elsewhere (two seconds an email: ~16 s live)
    token = sign_in(page)
    before = len(server.emails())
    status, started = server.call(
        "POST", "/api/generate-reports", {"dry_run": False}, token, {"Idempotency-Key": str(uuid.uuid4())}
    )
    assert status == 202
    run_id = started["run_id"]
    page.expected_errors.append("status of 409")
    page.goto(server.url + "/#/reports")
    expect(page.locator("#run-title")).to_have_attribute("data-run", run_id)  # followed on opening
    expect(page.locator("#run-title")).to_have_text(re.compile(r"^Run of \w{3} \d{1,2} \w{3}, \d\d:\d\d"))
    # WHEN the admin sends every report too, with a new key, and confirms
    page.get_by_role("button", name="Send all reports").click()
    confirm_send(page)
    # THEN the send is refused, the notice names the run going out and the panel follows it
    page.get_by_text(f"Nothing was sent: run {run_id[:8]} is already sending").wait_for(timeout=20_000)
    expect(page.locator("#run-title")).to_have_attribute("data-run", run_id)
    expect(page.get_by_role("button", name="Send all reports")).to_be_enabled()
    assert "Run succeeded" in wait_for_run_end(page)
    # AND across both clicks each report went out once
    sent = sorted(m["X-SCC-Report-Id"] for m in server.emails()[before:] if m["X-SCC-Report-Id"])
    assert len(sent) == REPORTS and len(set(sent)) == REPORTS
