"""The HTTP service: POST posts, get each label with its confidence.

:func:`create_app` builds a `FastAPI <https://fastapi.tiangolo.com>`_ application
around one saved model, loaded once when the application is created;
:func:`serve` runs it with `uvicorn <https://www.uvicorn.org>`_ (``aeclf serve`` on
the command line). Both need the ``serve`` extra::

    pip install 'arabic-extremism-clf[serve]'

Endpoints
---------
``POST /classify``
    Body ``{"texts": [str, ...], "ids": [str | int, ...]?, "threshold": float?,
    "explain": bool?, "top": int?}``. Returns one result per text, in input order::

        {"results": [{"id": ..., "label": ..., "confidence": ..., "scores": {...},
                      "explanation": {"label": ..., "ngrams": [{"feature": ..., "weight": ...}]}}],
         "model": {"id": ..., "version": ..., "created": ..., "flagged_label": ...,
                   "threshold": ...}}

    ``id`` is the matching item of ``ids`` (``null`` without ``ids``);
    ``explanation`` is present only with ``"explain": true``; ``model.threshold`` is
    the threshold that was applied (the request's, else the model's).
``GET /health``
    ``{"status": "ok"}``.
``GET /model``
    The model's manifest (format, library and dependency versions, labels, threshold,
    parameters, training data, evaluation figures) without the storage details
    (``files``, ``arrays``, ``n_iter``).
``GET /openapi.json``, ``GET /docs``
    The OpenAPI description, and a page to try the service from a browser.

Limits
------
A body over ``max_body_bytes`` is refused with 413 before it is parsed (by its
``Content-Length``, or by counting when it is sent in chunks). A batch of more than
``max_batch`` texts, a text of more than ``max_text_chars`` characters or ``top``
over ``max_top`` is refused with 422. Malformed JSON gets 400; every other invalid
body gets 422. Every error body is ``{"detail": "<what was wrong>"}``, plus
``"errors"`` (the individual problems, each with ``loc``, ``type`` and ``msg``) for
invalid bodies.

Scoring runs in worker threads (at most ``max_concurrent_batches`` batches at once),
so the event loop keeps answering other requests while a batch is scored.

The service has no authentication: keep it on a loopback or private interface.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the endpoints' type
# hints at run time, and the request model is a class local to ``create_app``.

import functools
import hashlib
import inspect
import json
import logging
import os
import signal
import socket
import threading
from collections.abc import Mapping
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from .core import resolve_model, score_batch
from .http_guards import BodySizeLimit, describe

if TYPE_CHECKING:  # pragma: no cover
    from fastapi import FastAPI

__all__ = [
    "create_app",
    "serve",
    "DEFAULT_MAX_BATCH",
    "DEFAULT_MAX_BODY_BYTES",
    "DEFAULT_MAX_TEXT_CHARS",
    "DEFAULT_MAX_TOP",
    "DEFAULT_MAX_CONCURRENT_BATCHES",
]

logger = logging.getLogger(__name__)

#: Most texts in one ``POST /classify``.
DEFAULT_MAX_BATCH = 1000
#: Largest request body in bytes (2 MiB): 1000 posts of 1000 Arabic characters fit.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
#: Longest text in characters; social-media posts are far shorter.
DEFAULT_MAX_TEXT_CHARS = 10_000
#: Most n-grams in one explanation.
DEFAULT_MAX_TOP = 100
#: Batches scored at the same time; more wait their turn without blocking the loop.
DEFAULT_MAX_CONCURRENT_BATCHES = 4

#: Environment variable that passes the options of :func:`serve` to worker processes.
_OPTIONS_ENV = "AECLF_SERVE_OPTIONS"
#: Manifest keys left out of ``GET /model``: storage details, not facts about the model.
_HIDDEN_MANIFEST_KEYS = ("files", "arrays", "n_iter")
_INSTALL_HINT = "pip install 'arabic-extremism-clf[serve]'"
_LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def _require_serve_extra() -> None:
    """Import FastAPI and uvicorn, or say how to install them."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"the HTTP service needs FastAPI and uvicorn ({exc}); install them with: "
            f"{_INSTALL_HINT}"
        ) from exc


def _check_limit(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int, got {value!r}")
    return value


# --- the application -----------------------------------------------------------------


def _request_model(max_batch: int, max_text_chars: int, max_top: int) -> type:
    """The pydantic model of a ``POST /classify`` body, with the limits built in."""
    from typing import Annotated

    from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

    Text = Annotated[str, StringConstraints(max_length=max_text_chars)]
    Id = Annotated[str, StringConstraints(max_length=max_text_chars)] | int

    class ClassifyRequest(BaseModel):
        """Posts to classify."""

        model_config = ConfigDict(strict=True, extra="forbid")

        texts: list[Text] = Field(
            max_length=max_batch,
            description=(
                f"The posts, at most {max_batch}, each at most {max_text_chars} characters."
            ),
        )
        ids: list[Id] | None = Field(
            default=None,
            description="Optional identifiers, one per text, echoed in the results.",
        )
        threshold: float | None = Field(
            default=None,
            ge=0.0,
            le=1.0,
            allow_inf_nan=False,
            description="Overrides the model's threshold on the flagged label's probability.",
        )
        explain: bool = Field(
            default=False, description="Add the n-grams that pushed each score most."
        )
        top: int = Field(
            default=10, ge=1, le=max_top, description="How many n-grams per explanation."
        )

        @model_validator(mode="after")
        def _check(self) -> "ClassifyRequest":
            if self.ids is not None and len(self.ids) != len(self.texts):
                raise ValueError(
                    f"ids has {len(self.ids)} items but texts has {len(self.texts)}; "
                    "give one id per text, or no ids"
                )
            return self

    return ClassifyRequest


def _response_models() -> tuple[type, type]:
    from pydantic import BaseModel, Field

    class Ngram(BaseModel):
        feature: str = Field(description="w: word n-gram or c: character n-gram, then its text.")
        weight: float = Field(description="Positive pushes towards the explained label.")

    class Explanation(BaseModel):
        label: str = Field(description="The label the weights refer to.")
        ngrams: list[Ngram]

    class Match(BaseModel):
        id: str | int = Field(description="The id of the known post.")
        similarity: float = Field(description="Estimated Jaccard similarity of the shingles.")

    class Result(BaseModel):
        id: str | int | None = Field(description="The matching item of ids, else null.")
        label: str
        confidence: float = Field(description="The calibrated probability of label.")
        scores: dict[str, float] = Field(description="The calibrated probability of every label.")
        explanation: Explanation | None = Field(
            default=None, description='Present with "explain": true.'
        )
        match: Match | None = Field(
            default=None,
            description="With a server started with --known: the best known post at or "
            "above the match threshold, else null.",
        )

    class ModelInfo(BaseModel):
        id: str = Field(description="A fingerprint of the saved model (its manifest).")
        version: str | None = Field(description="Version of the library that saved the model.")
        created: str | None
        flagged_label: str | None = Field(description="The label the threshold applies to.")
        threshold: float = Field(description="The threshold applied to this request.")

    class ClassifyResponse(BaseModel):
        results: list[Result]
        model: ModelInfo

    class Health(BaseModel):
        status: str

    return ClassifyResponse, Health


def _load_known(known: Any, match_threshold: float | None) -> tuple[Any, float] | None:
    """``(index, threshold)`` of the known posts' signatures, or None."""
    if known is None:
        if match_threshold is not None:
            raise ValueError("match_threshold= needs known= (a signatures directory)")
        return None
    from ..matching import load_index

    index, manifest = load_index(known)
    index.build()
    return index, manifest["threshold"] if match_threshold is None else match_threshold


def _model_id(manifest: Mapping[str, Any]) -> str:
    canonical = json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()[:16]


def create_app(
    model_path: str | os.PathLike[str] | None = None,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    max_top: int = DEFAULT_MAX_TOP,
    max_concurrent_batches: int = DEFAULT_MAX_CONCURRENT_BATCHES,
    known: str | os.PathLike[str] | None = None,
    match_threshold: float | None = None,
) -> "FastAPI":
    """The FastAPI application serving one saved model.

    The model is loaded here, once; see the module docstring for the endpoints.

    Parameters
    ----------
    model_path : str, path-like or None
        A model directory saved by :func:`~arabic_extremism_clf.persistence.save_model`;
        ``None`` for the shipped model.
    max_batch : int, default=1000
        Most texts per request.
    max_body_bytes : int, default=2097152
        Largest request body in bytes.
    max_text_chars : int, default=10000
        Longest text (and string id) in characters.
    max_top : int, default=100
        Largest ``top`` (n-grams per explanation).
    max_concurrent_batches : int, default=4
        Batches scored at the same time, each in a worker thread.
    known : str, path-like or None
        A signatures directory (:func:`~arabic_extremism_clf.matching.save_index`):
        every result then gets ``match``.
    match_threshold : float or None
        The match threshold (default: the one recorded in ``known``).

    Returns
    -------
    fastapi.FastAPI

    Raises
    ------
    ImportError
        If FastAPI is not installed (the ``serve`` extra).
    ModelFileError
        If the model cannot be loaded.
    ValueError
        If a limit is not a positive int.

    Examples
    --------
    >>> from fastapi.testclient import TestClient  # doctest: +SKIP
    >>> with TestClient(create_app("models/mine")) as client:  # doctest: +SKIP
    ...     client.post("/classify", json={"texts": ["..."]}).json()["results"][0]["label"]
    """
    _require_serve_extra()
    import anyio
    import anyio.to_thread
    from fastapi import FastAPI, Request
    from fastapi.exception_handlers import http_exception_handler
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .._version import __version__
    from ..persistence import read_manifest

    for name, value in (
        ("max_batch", max_batch),
        ("max_body_bytes", max_body_bytes),
        ("max_text_chars", max_text_chars),
        ("max_top", max_top),
        ("max_concurrent_batches", max_concurrent_batches),
    ):
        _check_limit(name, value)

    manifest = read_manifest(model_path)
    model = resolve_model(model_path)
    matcher = _load_known(known, match_threshold)
    public_manifest = {k: v for k, v in manifest.items() if k not in _HIDDEN_MANIFEST_KEYS}
    library = manifest.get("library") if isinstance(manifest.get("library"), dict) else {}
    model_info = {
        "id": _model_id(manifest),
        "version": library.get("version"),
        "created": manifest.get("created"),
        # None when the model's flagged_label is not one of its labels.
        "flagged_label": None if model.flagged_index_ is None else model.flagged_label,
    }
    ClassifyRequest = _request_model(max_batch, max_text_chars, max_top)
    ClassifyResponse, Health = _response_models()
    fields = list(ClassifyRequest.model_fields)
    limits = {"max_batch": max_batch, "max_text_chars": max_text_chars, "max_top": max_top}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Made here, in the server's event loop. (In tests, use TestClient as a
        # context manager so that the lifespan runs.)
        app.state.scoring = anyio.CapacityLimiter(max_concurrent_batches)
        yield

    app = FastAPI(
        title="arabic_extremism_clf",
        version=__version__,
        summary="Flag Arabic posts that promote violent extremist groups, for human review.",
        description=(
            f"Limits of this server: at most {max_batch} texts per request, "
            f"{max_text_chars} characters per text, {max_body_bytes} bytes per body, "
            f"top at most {max_top}."
        ),
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_body_bytes=max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def readable_validation_error(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        status = 400 if any(e.get("type") == "json_invalid" for e in errors) else 422
        described = (describe(e, fields, limits) for e in errors)
        messages = list(dict.fromkeys(m for m in described if m is not None))
        content = {
            "detail": "; ".join(messages),
            # ``input`` is left out: it may be the whole body, echoed back.
            "errors": [
                {"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")}
                for e in errors
            ],
        }
        return JSONResponse(status_code=status, content=content)

    @app.exception_handler(StarletteHTTPException)
    async def readable_http_error(request: Request, exc: StarletteHTTPException):
        cause = exc.__cause__
        if exc.status_code == 400 and request.method == "POST" and cause is not None:
            # FastAPI's "There was an error parsing the body": say what the error was.
            reason = (
                "it is nested too deeply"
                if isinstance(cause, RecursionError)
                else str(cause).split(";")[0] or type(cause).__name__
            )
            return JSONResponse(
                status_code=400,
                content={
                    "detail": f"the body could not be parsed as JSON ({reason}); send a JSON "
                    'object like {"texts": ["...", "..."]}'
                },
            )
        return await http_exception_handler(request, exc)

    def score(request: ClassifyRequest) -> dict:
        threshold = model.threshold if request.threshold is None else request.threshold
        scores = score_batch(
            model, request.texts, threshold=threshold, explain=request.explain, top=request.top
        )
        ids = request.ids if request.ids is not None else [None] * len(scores)
        results = [{"id": item_id, **row} for item_id, row in zip(ids, scores)]
        if matcher is not None:
            from ..matching import match_rows

            for result, match in zip(results, match_rows(matcher[0], request.texts, matcher[1])):
                result["match"] = match
        return {"results": results, "model": {**model_info, "threshold": threshold}}

    @app.post(
        "/classify",
        response_model=ClassifyResponse,
        response_model_exclude_unset=True,  # no "explanation" unless asked for
        summary="Classify posts",
        responses={
            400: {"description": "The body is not valid JSON."},
            413: {"description": f"The body is over {max_body_bytes} bytes."},
            422: {"description": "The body is JSON but not a valid request; detail says why."},
        },
    )
    async def classify(request: ClassifyRequest, http: Request):
        """One result per text, in input order: label, confidence, scores (and explanation)."""
        # Scoring is CPU work: run it in a worker thread so the loop keeps serving.
        return await anyio.to_thread.run_sync(score, request, limiter=http.app.state.scoring)

    @app.get("/health", response_model=Health, summary="Liveness")
    async def health():
        """``{"status": "ok"}`` while the service is up."""
        return {"status": "ok"}

    @app.get("/model", summary="The model's manifest")
    async def model_manifest() -> dict[str, Any]:
        """Versions, labels, threshold, parameters, training data and evaluation figures."""
        return public_manifest

    return app


# --- running it ----------------------------------------------------------------------


def _app_from_environment() -> "FastAPI":
    """Application factory of the worker processes (see :func:`serve`)."""
    options = json.loads(os.environ[_OPTIONS_ENV])
    return create_app(options.pop("model_path"), **options)


def serve(
    model_path: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    max_top: int = DEFAULT_MAX_TOP,
    max_concurrent_batches: int = DEFAULT_MAX_CONCURRENT_BATCHES,
    workers: int = 1,
    log_level: str = "info",
    access_log: bool = True,
    known: str | os.PathLike[str] | None = None,
    match_threshold: float | None = None,
) -> None:
    """Run the service with uvicorn until SIGINT or SIGTERM.

    On SIGTERM (or a first SIGINT) uvicorn stops accepting connections, finishes the
    requests in progress and shuts down; then this function returns normally (after
    SIGINT, :class:`KeyboardInterrupt` is raised as usual).

    Parameters
    ----------
    model_path : str, path-like or None
        The model directory; ``None`` for the shipped model.
    host : str, default="127.0.0.1"
        The interface to listen on. The service has no authentication: anything other
        than loopback exposes it to the network.
    port : int, default=8000
    max_batch, max_body_bytes, max_text_chars, max_top, max_concurrent_batches : int
        See :func:`create_app`.
    workers : int, default=1
        Processes, each with its own copy of the model; scoring is CPU-bound, so more
        workers use more cores.
    log_level : str, default="info"
        uvicorn's log level.
    access_log : bool, default=True
        Log one line per request.
    known, match_threshold
        See :func:`create_app`.

    Raises
    ------
    ImportError
        If FastAPI or uvicorn is not installed.
    ModelFileError
        If the model cannot be loaded.
    OSError
        If the server cannot start (e.g. the port is in use).
    """
    _require_serve_extra()
    import uvicorn

    _check_limit("workers", workers)
    if host not in _LOOPBACK_HOSTS:
        logger.warning(
            "listening on %s: the service has no authentication; anyone who can reach "
            "this address can use it",
            host,
        )
    options = {
        "max_batch": max_batch,
        "max_body_bytes": max_body_bytes,
        "max_text_chars": max_text_chars,
        "max_top": max_top,
        "max_concurrent_batches": max_concurrent_batches,
        "known": None if known is None else os.fspath(known),
        "match_threshold": match_threshold,
    }
    common = {"host": host, "port": port, "log_level": log_level, "access_log": access_log}
    if workers == 1:
        app: Any = create_app(model_path, **options)
        run = functools.partial(uvicorn.run, app, **common)
    else:
        from ..persistence import read_manifest

        read_manifest(model_path)  # fail here, not in every worker
        _load_known(known, match_threshold)
        path = None if model_path is None else os.fspath(model_path)
        os.environ[_OPTIONS_ENV] = json.dumps({"model_path": path, **options})
        target = f"{__name__}:{_app_from_environment.__name__}"
        config = uvicorn.Config(target, factory=True, workers=workers, **common)
        run = functools.partial(_run_workers, config)

    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal under the
    # handler that was there before it started. Install one that does nothing, so
    # that a SIGTERM ends this function normally (exit status 0) instead of killing
    # the process once the shutdown is done.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _stopped_by_sigterm)
    try:
        run()
    except SystemExit as exc:
        if exc.code not in (None, 0):
            raise OSError(
                f"the server could not start on {host}:{port} (see the log above; "
                "is the port in use?)"
            ) from exc
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run_workers(config: Any) -> None:
    """What ``uvicorn.run`` does for several workers, with TCP_NODELAY kept on.

    ``Config.bind_socket`` makes the listening socket with ``proto=0``; the accepted
    sockets inherit it and asyncio then leaves Nagle's algorithm on, which adds ~40 ms
    to every keep-alive request (https://github.com/Kludex/uvicorn/issues/3149).
    Re-wrapping the descriptor as IPPROTO_TCP fixes that.
    """
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    if "target" in inspect.signature(Multiprocess).parameters:  # older uvicorn
        import uvicorn

        supervisor = Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock])
    else:
        supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()


def _stopped_by_sigterm(signum: int, frame: object) -> None:
    logger.info("stopped by SIGTERM")
