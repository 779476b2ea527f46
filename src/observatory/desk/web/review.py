"""Review pages: reads sign-ins and review forms, writes the login page, the review queue (with
keyboard shortcuts), the review panel of the incident page, and the reviews into the record."""
from __future__ import annotations

import hmac
import json
from html import escape
from urllib.parse import parse_qs
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from observatory.desk.auth import (LOGIN_CSRF_COOKIE, SESSION_COOKIE, Principal, form,
                                   new_login_csrf, require)
from observatory.desk.web.layout import page
from observatory.errors import ReviewError
from observatory.record import accounts, review
from observatory.record.store import Store
from observatory.record.store.queries import count_text, date_text, incident_number

# j/k move through the queue, c confirms the selected incident, o opens it.
_QUEUE_KEYS = """<script>
(function(){var rows=[].slice.call(document.querySelectorAll('tr[data-id]')),i=0;
function show(){rows.forEach(function(r,n){r.style.background=n===i?'#fff3b0':''});}
document.addEventListener('keydown',function(e){if(!rows.length||e.target.tagName==='INPUT')return;
if(e.key==='j'){i=Math.min(i+1,rows.length-1);show();}
else if(e.key==='k'){i=Math.max(i-1,0);show();}
else if(e.key==='c'){rows[i].querySelector('form.confirm').submit();}
else if(e.key==='o'){location.href=rows[i].querySelector('a').href;}});show();})();
</script>"""


def _safe_next(value: str | None) -> str:
    # Only paths on this site: an open redirect would lend the login page to phishing.
    return value if value and value.startswith("/app") and "//" not in value else "/app"


def _csrf(who: Principal) -> str:
    return f'<input type="hidden" name="csrf" value="{escape(who.csrf or "")}">'


def _value(field: str, data: dict[str, str]) -> Any:
    """A review form's inputs as the field's JSON value."""
    if field == "location":
        return {"name": data.get("name") or None, "admin1": data.get("admin1") or None,
                "lat": data.get("lat") or None, "lon": data.get("lon") or None,
                "geo_precision": data.get("geo_precision") or 1,
                "gazetteer_id": data.get("gazetteer_id") or None}
    if field == "date":
        return {"start": data.get("start", ""), "end": data.get("end") or data.get("start", ""),
                "precision": data.get("precision") or "day"}
    if field == "fatalities":
        return {"low": data.get("low"), "high": data.get("high") or data.get("low")}
    return data.get("value")


_INPUTS = {
    "location": [("name", "place"), ("admin1", "admin1"), ("lat", "latitude"),
                 ("lon", "longitude"), ("geo_precision", "precision 1-3")],
    "date": [("start", "start YYYY-MM-DD"), ("end", "end"), ("precision", "day/week/month")],
    "fatalities": [("low", "killed, at least"), ("high", "at most")],
}


def _shown(field: str, value: Any) -> str:
    """A field's value as a reader says it."""
    if value is None:
        return "none"
    if field == "fatalities":
        return count_text(value.get("low"), value.get("high"))
    if field == "date":
        return date_text(value)
    if field == "location":
        return (f'{value.get("name") or "-"} ({value.get("admin1") or "-"}) '
                f'{value.get("lat")}, {value.get("lon")}, precision {value.get("geo_precision")}')
    return value if isinstance(value, str) else json.dumps(value)


def review_panel(rec: dict[str, Any], who: Principal) -> str:
    """The incident page's review section: per field, the machine's value beside a person's,
    and for a reviewer the forms to confirm or correct it."""
    coded = rec.get("coded", {})
    rows = []
    for field in review.FIELDS:
        if field == "status" and not rec["status"]:
            continue
        c = coded.get(field, {"by": "machine"})
        state = (f'{escape(c["verdict"])} by <b>{escape(c["by"])}</b> ({escape(c["at"])}): '
                 f'{escape(c["reason"])}; machine: {escape(_shown(field, c["machine"]))}'
                 if c["by"] != "machine" else "machine-coded")
        controls = ""
        if who.name and accounts.rank(who.role) >= accounts.rank("reviewer"):
            inputs = "".join(f'<input name="{n}" placeholder="{escape(p)}" aria-label="{escape(p)}"'
                             f' size="10">' for n, p in _INPUTS.get(field, [("value", "value")]))
            controls = (f'<form method="post" action="/app/incidents/{rec["id"]}/review" '
                        f'class="review" data-field="{field}">{_csrf(who)}'
                        f'<input type="hidden" name="field" value="{field}">{inputs}'
                        f'<input name="reason" placeholder="reason" aria-label="reason" required>'
                        f'<button name="action" value="correct">Correct</button>'
                        f'<button name="action" value="confirm">Confirm</button></form>')
        rows.append(f'<tr data-field="{field}"><th>{field}</th><td class="state">{state}</td>'
                    f'<td>{controls}</td></tr>')
    disputes = ""
    if who.name and accounts.rank(who.role) >= accounts.rank("reviewer"):
        disputes = "".join(
            f'<form method="post" action="/app/incidents/{rec["id"]}/dispute">{_csrf(who)}'
            f'<input type="hidden" name="field" value="{escape(d["field"])}">'
            f'{escape(d["field"])}: <input name="favours" placeholder="side the evidence favours"'
            f' aria-label="favours"><input name="note" placeholder="note" aria-label="note" '
            f'required><button>Mark reviewed</button></form>' for d in rec["disputes"])
    arrange = _arrange(rec, who) if who.name and accounts.rank(who.role) >= accounts.rank(
        "editor") else ""
    marks = _marks(rec, who) if who.name and accounts.rank(who.role) >= accounts.rank(
        "reviewer") else ""
    signed = (f'<p>Signed in as {escape(who.name)} ({who.role}). '
              f'<a href="/app/review">Review queue</a></p>{_logout(who)}' if who.name else
              '<p><a href="/app/login">Sign in</a> to review.</p>')
    return (f'<h2>Review</h2>{signed}<table class="reviews">{"".join(rows)}</table>'
            + (f'<h3>Disputes</h3>{disputes}' if disputes else "") + marks + arrange)


def _logout(who: Principal) -> str:
    return (f'<form method="post" action="/app/logout">{_csrf(who)}<button>Sign out</button>'
            f'</form>' if who.csrf else "")


def _arrange(rec: dict[str, Any], who: Principal) -> str:
    """An editor's forms: split checked events off, move them to another incident, or merge
    another incident into this one."""
    boxes = "".join(
        f'<label><input type="checkbox" name="events" value="{escape(e["event"])}@'
        f'{escape(e["document"])}"> {escape(e["document"][:16])} {escape(e["event"])} '
        f'({escape(e["sub_event_type"])}, {escape(e["origin"])})</label><br>'
        for e in rec["events"])
    return (f'<h3>Arrange</h3><form method="post" action="/app/incidents/{rec["id"]}/arrange" '
            f'class="arrange">{_csrf(who)}{boxes}'
            f'<input name="reason" placeholder="reason" aria-label="reason" required> '
            f'<button name="action" value="split">Split the checked into a new incident'
            f'</button> <input name="to" placeholder="i42" aria-label="incident" size="6"> '
            f'<button name="action" value="move">Move the checked to that incident</button> '
            f'<button name="action" value="merge">Merge that incident into this one</button>'
            f'</form>')


def _marks(rec: dict[str, Any], who: Principal) -> str:
    """A reviewer's form per report: irrelevant, a duplicate of another, or relevant again."""
    forms = "".join(
        f'<form method="post" action="/app/documents/{escape(key)}/mark" class="mark">'
        f'{_csrf(who)}<input type="hidden" name="back" value="{rec["id"]}">'
        f'{escape(key[:16])}: <select name="mark" aria-label="mark">'
        + "".join(f'<option>{m}</option>' for m in review.DOCUMENT_MARKS)
        + '</select> <input name="duplicate_of" placeholder="duplicate of (document id)" '
          'aria-label="duplicate of"> <input name="reason" placeholder="reason" '
          'aria-label="reason" required> <button>Mark</button></form>'
        for key in rec["documents"])
    return f'<h3>Reports</h3>{forms}'



def public_router(store: Store) -> APIRouter:
    """The sign-in page: reachable without an account, whatever public_read says."""
    r = APIRouter(include_in_schema=False)

    @r.get("/app/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str | None = None, error: str | None = None
                   ) -> HTMLResponse:
        token = new_login_csrf()
        message = f'<p role="alert">{escape(error)}</p>' if error else ""
        body = (f'{message}<form method="post" action="/app/login">'
                f'<input type="hidden" name="csrf" value="{token}">'
                f'<input type="hidden" name="next" value="{escape(_safe_next(next))}">'
                f'<label>Name <input name="name" autocomplete="username" required></label> '
                f'<label>Password <input name="password" type="password" '
                f'autocomplete="current-password" required></label> <button>Sign in</button>'
                f'</form>')
        response = page("Sign in", body)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=request.url.scheme == "https", path="/app/login")
        return response

    @r.post("/app/login")
    async def login(request: Request):
        auth = request.app.state.auth
        data = await form(request)
        name, client = data.get("name", "")[:120], request.client.host if request.client else "-"
        sent, expected = data.get("csrf", ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            raise HTTPException(403, "missing or wrong CSRF token: reload the sign-in page")
        wait = auth.login_blocked(client, name)
        if wait:
            raise HTTPException(429, f"too many failed sign-ins; try again in {wait} s",
                                headers={"Retry-After": str(wait)})
        with store.session() as session, session.begin():
            opened = accounts.login(session, name, data.get("password", ""),
                                    hours=auth.settings.session_hours)
        if opened is None:
            auth.login_failed(client, name)
            return RedirectResponse("/app/login?error=wrong+name+or+password", 303)
        response = RedirectResponse(_safe_next(data.get("next")), 303)
        response.set_cookie(SESSION_COOKIE, opened[0], httponly=True, samesite="strict",
                            secure=request.url.scheme == "https",
                            max_age=auth.settings.session_hours * 3600, path="/")
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/app/login")
        return response

    return r


def router(store: Store) -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.post("/app/logout")
    def logout(request: Request, who: Principal = Depends(require("viewer"))):
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            with store.session() as session, session.begin():
                accounts.end_session(session, cookie)
        response = RedirectResponse("/app", 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def number(incident_id: str) -> int:
        found = incident_number(incident_id)
        if found is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return found

    def run(action) -> None:
        try:
            with store.session() as session, session.begin():
                action(session)
        except ReviewError as exc:
            raise HTTPException(404 if str(exc).startswith("no ") else 422, str(exc)) from None

    @r.post("/app/incidents/{incident_id}/review")
    async def review_form(incident_id: str, request: Request,
                          who: Principal = Depends(require("reviewer"))):
        n, data = number(incident_id), await form(request)
        field = data.get("field", "")
        confirm = data.get("action") == "confirm"
        run(lambda s: review.review_field(s, n, field, reviewer=who.name,
                                          reason=data.get("reason", ""),
                                          value=None if confirm else _value(field, data),
                                          confirm=confirm))
        return RedirectResponse(f"/app/incidents/i{n}", 303)

    @r.post("/app/incidents/{incident_id}/dispute")
    async def dispute_form(incident_id: str, request: Request,
                           who: Principal = Depends(require("reviewer"))):
        n, data = number(incident_id), await form(request)
        run(lambda s: review.review_dispute(s, n, data.get("field", ""), reviewer=who.name,
                                            note=data.get("note", ""),
                                            favours=data.get("favours") or None))
        return RedirectResponse(f"/app/incidents/i{n}", 303)

    @r.post("/app/incidents/{incident_id}/arrange")
    async def arrange(incident_id: str, request: Request,
                      who: Principal = Depends(require("editor"))):
        n = number(incident_id)
        data = parse_qs((await request.body()).decode("utf-8", "replace"),
                        keep_blank_values=True)
        one = {k: v[-1] for k, v in data.items()}
        events = [tuple(v.split("@", 1)[::-1]) for v in data.get("events", []) if "@" in v]
        reason, action = one.get("reason", ""), one.get("action")
        target = incident_number(one.get("to", "").strip())
        if action in ("move", "merge") and target is None:
            raise HTTPException(422, "name the other incident, like i42")
        if action == "split":
            landed = []
            run(lambda s: landed.append(review.split(s, n, events, reviewer=who.name,
                                                     reason=reason)))
            return RedirectResponse(f"/app/incidents/i{landed[0]}", 303)
        if action == "move":
            if not events:
                raise HTTPException(422, "check the events to move")
            run(lambda s: [review.move_event(s, d, e, target, reviewer=who.name, reason=reason)
                           for d, e in events])
            return RedirectResponse(f"/app/incidents/i{target}", 303)
        if action == "merge":
            run(lambda s: review.merge(s, n, target, reviewer=who.name, reason=reason))
            return RedirectResponse(f"/app/incidents/i{n}", 303)
        raise HTTPException(422, "action is split, move or merge")

    @r.post("/app/documents/{key}/mark")
    async def mark(key: str, request: Request, who: Principal = Depends(require("reviewer"))):
        data = await form(request)
        run(lambda s: review.mark_document(s, key, data.get("mark", ""), reviewer=who.name,
                                           reason=data.get("reason", ""),
                                           duplicate_of=data.get("duplicate_of") or None))
        back = incident_number(data.get("back", ""))
        return RedirectResponse(f"/app/incidents/i{back}" if back is not None
                                else f"/app/documents/{key}", 303)

    @r.post("/app/incidents/{incident_id}/confirm")
    def confirm(incident_id: str, who: Principal = Depends(require("reviewer"))):
        n = number(incident_id)
        run(lambda s: review.confirm_all(s, n, reviewer=who.name,
                                         reason="confirmed from the review queue"))
        return RedirectResponse("/app/review", 303)

    @r.get("/app/review", response_class=HTMLResponse)
    def queue(who: Principal = Depends(require("reviewer"))) -> HTMLResponse:
        with store.session() as session:
            ranked = review.queue(session)
            rows = "".join(
                f'<tr data-id="i{i.id}"><td>{score:g}</td><td><a href="/app/incidents/i{i.id}">'
                f'i{i.id} {escape(i.sub_event_type)}</a></td>'
                f'<td>{escape(i.place_name or i.admin1 or "unplaced")}</td>'
                f'<td>{escape(str(i.date_start or ""))}</td><td>{escape(", ".join(why))}</td>'
                f'<td><form class="confirm" method="post" action="/app/incidents/i{i.id}/confirm">'
                f'{_csrf(who)}<button>Confirm</button></form></td></tr>'
                for score, i, why in ranked)
        body = (_logout(who) + '<p>Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>c</kbd> '
                'confirm every field as coded, <kbd>o</kbd> open.</p>'
                '<table><tr><th>score</th><th>incident</th><th>place</th><th>date</th>'
                f'<th>why</th><th></th></tr>{rows}</table>'
                + ("" if rows else "<p>Nothing waits for review.</p>") + _QUEUE_KEYS)
        return page("Review queue", body)

    return r
