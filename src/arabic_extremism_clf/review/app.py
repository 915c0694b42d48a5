"""The review page's web application (FastAPI, the ``serve`` extra).

Endpoints
---------
``GET /``, ``GET /static/...``
    The page: plain HTML, CSS and JavaScript shipped with the package.
``GET /api/state``
    The queue, the model, the progress, the default reviewer and the CSRF token.
``GET /api/resume?reviewer=``
    The first undecided item after where the reviewer stopped (else from the start).
``GET /api/item?position=&direction=next|prev|at&filter=``
    One item with its highlighted segments and standing decisions.
``GET /api/history?text_sha256=``
    Every decision event on a text.
``POST /api/decide``, ``POST /api/undo``, ``POST /api/skip``
    JSON bodies; they change the store.

Security
--------
* Every request's ``Host`` must be one the server listens as (against DNS rebinding),
  unless it listens on every interface (then a token is mandatory).
* With a token, every request must carry it: the ``X-Review-Token`` header, an
  ``Authorization: Bearer`` header, or the cookie set by opening ``/?token=...`` once
  (the page then redirects to ``/`` so that the token leaves the address bar).
* State changes are POST only, with ``Content-Type: application/json``, an ``Origin``
  (when the browser sends one) equal to the server's, and the header
  ``X-CSRF-Token``: an HMAC of the session cookie under a secret made at start-up,
  which only a page of this origin can read (from ``/api/state``).
* Request bodies are limited as in ``aeclf serve``
  (:class:`~arabic_extremism_clf.scoring.http_guards.BodySizeLimit`).
* Every response forbids inline scripts and framing (Content-Security-Policy); the page
  renders posts with DOM text nodes only.
"""

# No ``from __future__ import annotations``: FastAPI reads the endpoints' hints.

import hashlib
import hmac
import importlib.resources
import secrets
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

from ..scoring.http import DEFAULT_MAX_BODY_BYTES, _require_serve_extra
from ..scoring.http_guards import BodySizeLimit
from .highlight import segments
from .store import DECISION_LABELS, MAX_NOTE_CHARS, MAX_REVIEWER_CHARS, ConflictError, ReviewStore

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

__all__ = [
    "create_review_app",
    "allowed_hosts",
    "run_server",
    "TOKEN_COOKIE",
    "SESSION_COOKIE",
    "CSRF_HEADER",
]

TOKEN_COOKIE = "aeclf_review_token"
SESSION_COOKIE = "aeclf_review_session"
CSRF_HEADER = "x-csrf-token"
TOKEN_HEADER = "x-review-token"
_STATIC = ("index.html", "app.js", "app.css")
_CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
}
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def _static_files() -> dict[str, bytes]:
    folder = importlib.resources.files(__package__) / "static"
    return {name: (folder / name).read_bytes() for name in _STATIC}


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The ``Host`` headers accepted for a server on ``host:port`` (None: any)."""
    if host in _WILDCARD_HOSTS:
        return None
    names = {host, "127.0.0.1", "localhost", "[::1]"}
    if ":" in host and not host.startswith("["):
        names.add(f"[{host}]")
    return frozenset({*names, *(f"{n}:{port}" for n in names)})


def create_review_app(
    store: ReviewStore,
    input_sha256: str,
    *,
    normalize_options: Mapping[str, bool] | None = None,
    token: str | None = None,
    reviewer: str | None = None,
    hosts: Collection[str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> "FastAPI":
    """The review application of one queue of a store.

    Parameters
    ----------
    store : ReviewStore
    input_sha256 : str
        The queue (see :meth:`ReviewStore.save_queue`).
    normalize_options : dict, optional
        The model's normalisation switches, for highlighting.
    token : str, optional
        Required on every request when given.
    reviewer : str, optional
        The reviewer's name the page starts with.
    hosts : collection of str, optional
        Accepted ``Host`` headers (see :func:`allowed_hosts`); None accepts any.
    max_body_bytes : int, default=2097152

    Returns
    -------
    fastapi.FastAPI
    """
    _require_serve_extra()
    from typing import Annotated, Literal

    from fastapi import FastAPI, Query, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, RedirectResponse, Response
    from pydantic import BaseModel, ConfigDict, Field, StringConstraints

    if store.queue(input_sha256) is None:
        raise ValueError(f"input_sha256= {input_sha256!r}: the store has no such queue")
    if token is not None and not token:
        raise ValueError("token= must be a non-empty string or None")
    static = _static_files()
    secret = secrets.token_bytes(32)
    accepted = None if hosts is None else frozenset(hosts)

    def csrf_of(session: str) -> str:
        return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()

    def token_ok(request: Request) -> bool:
        if token is None:
            return True
        given = request.headers.get(TOKEN_HEADER)
        auth = request.headers.get("authorization", "")
        if given is None and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if given is None:
            given = request.cookies.get(TOKEN_COOKIE)
        return given is not None and hmac.compare_digest(given.encode(), token.encode())

    def refuse(status: int, detail: str) -> Response:
        return JSONResponse(status_code=status, content={"detail": detail})

    Reviewer = Annotated[str, StringConstraints(min_length=1, max_length=MAX_REVIEWER_CHARS)]
    Label = Literal[DECISION_LABELS]  # type: ignore[valid-type]

    class Decide(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        position: int = Field(ge=0)
        label: Label
        reviewer: Reviewer
        note: str = Field(default="", max_length=MAX_NOTE_CHARS)

    class Undo(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        event_id: int = Field(ge=1)
        reviewer: Reviewer

    class Skip(BaseModel):
        model_config = ConfigDict(strict=True, extra="forbid")
        position: int = Field(ge=0)
        reviewer: Reviewer

    app = FastAPI(title="aeclf review", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def guard(request: Request, call_next):
        host = request.headers.get("host", "")
        if accepted is not None and host not in accepted:
            return refuse(421, f"unexpected Host {host[:100]!r}: open the address printed at start")
        if token is not None and request.url.path == "/" and "token" in request.query_params:
            if not hmac.compare_digest(request.query_params["token"].encode(), token.encode()):
                return refuse(401, "wrong token")
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        if not token_ok(request):
            return refuse(
                401, "this review server needs its token: open the address printed at start"
            )
        if request.method not in ("GET", "HEAD", "POST"):
            return refuse(405, "method not allowed")
        if request.method == "POST":
            if request.headers.get("content-type", "").split(";")[0].strip() != (
                "application/json"
            ):
                return refuse(415, "send JSON (Content-Type: application/json)")
            origin = request.headers.get("origin")
            if origin is not None and origin != f"{request.url.scheme}://{host}":
                return refuse(403, "cross-origin request refused")
            if request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
                return refuse(403, "cross-site request refused")
            session = request.cookies.get(SESSION_COOKIE)
            csrf = request.headers.get(CSRF_HEADER, "")
            if session is None or not hmac.compare_digest(csrf.encode(), csrf_of(session).encode()):
                return refuse(403, "missing or wrong CSRF token: reload the page")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = _CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    # Outermost: the size limit applies before anything reads the body.
    app.add_middleware(BodySizeLimit, max_body_bytes=max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        # Without ``input``: it may be the whole body, echoed back.
        messages = [
            ".".join(str(p) for p in e.get("loc", ()) if p != "body") + ": " + str(e.get("msg"))
            for e in exc.errors()
        ]
        return refuse(422, "; ".join(messages))

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):
        return refuse(422, str(exc))

    @app.exception_handler(ConflictError)
    async def conflict(request: Request, exc: ConflictError):
        return refuse(409, str(exc))

    @app.get("/")
    def page(request: Request):
        response = Response(static["index.html"], media_type=_CONTENT_TYPES["html"])
        if SESSION_COOKIE not in request.cookies:
            response.set_cookie(
                SESSION_COOKIE, secrets.token_urlsafe(24), httponly=True, samesite="strict"
            )
        return response

    @app.get("/static/{name}")
    def static_file(name: str):
        if name not in static or name == "index.html":
            return refuse(404, "not found")
        return Response(static[name], media_type=_CONTENT_TYPES[name.rsplit(".", 1)[1]])

    def with_segments(item: dict[str, Any] | None) -> dict[str, Any] | None:
        if item is not None:
            ngrams = item["explanation"].get("ngrams", [])
            item["segments"] = segments(item["text"], ngrams, normalize_options)
        return item

    @app.get("/api/state")
    def state(request: Request):
        session = request.cookies.get(SESSION_COOKIE)
        if session is None:
            return refuse(403, "no session: open the page first")
        queue = store.queue(input_sha256)
        return {
            "queue": {
                "input_name": queue["input_name"],
                "input_sha256": input_sha256,
                "order": queue["order_by"],
                "n_rows": queue["n_rows"],
                "errors": queue["errors"][:100],
                "n_errors": len(queue["errors"]),
            },
            "model": {
                "name": queue["model_name"],
                "version": queue["model_version"],
                "id": queue["model_id"],
                "flagged_label": queue["flagged_label"],
                "threshold": queue["threshold"],
            },
            "labels": list(DECISION_LABELS),
            "model_labels": store.model_labels(input_sha256),
            "reviewer": reviewer,
            "csrf": csrf_of(session),
            "progress": store.progress(input_sha256),
        }

    @app.get("/api/item")
    def item(
        position: int = -1,
        direction: Literal["next", "prev", "at"] = "next",
        filter: str = Query("all", max_length=100),
    ):
        found = store.find(input_sha256, position, direction, filter)
        return {"item": with_segments(found), "progress": store.progress(input_sha256)}

    @app.get("/api/resume")
    def resume(reviewer: Annotated[str, Query(min_length=1, max_length=MAX_REVIEWER_CHARS)]):
        stop = store.cursor(input_sha256, reviewer.strip())
        found = store.find(input_sha256, stop, "next", "undecided")
        if found is None:
            found = store.find(input_sha256, -1, "next", "undecided")
        return {"item": with_segments(found), "progress": store.progress(input_sha256)}

    @app.get("/api/history")
    def history(text_sha256: Annotated[str, Query(min_length=64, max_length=64)]):
        return {"events": store.history(text_sha256)}

    @app.post("/api/decide")
    def decide(body: Decide):
        event = store.decide(
            input_sha256, body.position, body.label, reviewer=body.reviewer, note=body.note
        )
        return {"event": event, "progress": store.progress(input_sha256)}

    @app.post("/api/undo")
    def undo(body: Undo):
        event = store.undo(body.event_id, reviewer=body.reviewer)
        return {"event": event, "progress": store.progress(input_sha256)}

    @app.post("/api/skip")
    def skip(body: Skip):
        store.skip(input_sha256, body.position, body.reviewer)
        return {"ok": True}

    return app


def run_server(app: "FastAPI", host: str, port: int, *, log_level: str = "info") -> None:
    """Serve ``app`` with uvicorn until SIGINT or SIGTERM (then return normally).

    Raises
    ------
    OSError
        If the server cannot start (e.g. the port is in use).
    """
    import signal
    import threading

    import uvicorn

    previous = None
    if threading.current_thread() is threading.main_thread():
        # uvicorn shuts down gracefully on SIGTERM, then re-raises it under the previous
        # handler: one that does nothing ends this function normally.
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise OSError(
                f"the server could not start on {host}:{port} (is the port in use?)"
            ) from exc
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
