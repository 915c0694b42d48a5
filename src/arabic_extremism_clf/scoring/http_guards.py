"""Guards of the HTTP service: the request body size limit and readable validation errors.

Used by :mod:`.http`; they need the ``serve`` extra only through the objects FastAPI
passes them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ..corpus import _json_type as json_type

__all__ = ["BodySizeLimit", "describe"]


# --- the body size limit -------------------------------------------------------------


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``max_body_bytes`` with 413.

    A declared ``Content-Length`` over the limit is refused before any of the body is
    read; otherwise the body is read and counted chunk by chunk (so a chunked upload
    cannot get round the limit) and then handed on to the application.
    """

    def __init__(self, app: Any, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    def _too_large(self, size: int | None) -> str:
        return (
            f"the request body is {'' if size is None else f'{size} bytes, '}more than this "
            f"server's limit of {self.max_body_bytes} bytes (--max-body-bytes); send fewer "
            "or shorter texts per request"
        )

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
                if length < 0:
                    raise ValueError
            except ValueError:
                await _send_error(send, 400, "the Content-Length header is not a byte count")
                return
            if length > self.max_body_bytes:
                await _send_error(send, 413, self._too_large(length))
                return
        chunks = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client has gone: nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _send_error(send, 413, self._too_large(None))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send_error(send: Any, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# --- readable validation errors ------------------------------------------------------


def _json_type(value: Any) -> str:
    """JSON name of a request value's type, for messages."""
    if isinstance(value, bytes):
        return "a body that is not JSON"
    if isinstance(value, int) and not isinstance(value, bool):
        return "an integer"
    return json_type(value)


def _where(loc: Sequence[Any]) -> str:
    """``("body", "texts", 3)`` -> ``"texts[3]"``."""
    parts = list(loc[1:] if loc and loc[0] == "body" else loc)
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def describe(
    error: Mapping[str, Any], fields: Sequence[str], limits: Mapping[str, int]
) -> str | None:
    """One readable sentence for one pydantic/FastAPI validation error (None: skip it)."""
    kind = error.get("type", "")
    loc = tuple(error.get("loc", ()))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if len(loc) > 3 and loc[:2] == ("body", "ids"):
        # An id is a string or an int: pydantic reports why each member failed.
        if kind == "int_type" and isinstance(value, str):
            return None  # a string that failed as a string: the string error says why
        loc = loc[:3]
    where = _where(loc)
    found = json.dumps(value, default=str)[:40] if not isinstance(value, bytes) else "bytes"
    if kind == "json_invalid":
        position = f" at character {loc[1]}" if len(loc) > 1 else ""
        return (
            f"the body is not valid JSON ({ctx.get('error', 'decode error')}{position}); "
            'send a JSON object like {"texts": ["...", "..."]}'
        )
    if where == "body" and kind in ("model_attributes_type", "dict_type", "model_type"):
        if isinstance(value, bytes | bytearray):
            return (
                "the body is not JSON: send a JSON object like "
                '{"texts": ["...", "..."]} with the header Content-Type: application/json'
            )
        return (
            'the body must be a JSON object like {"texts": ["...", "..."]}, '
            f"found {_json_type(value)}"
        )
    if kind == "missing":
        if where == "body":
            return 'the body is empty; send a JSON object like {"texts": ["...", "..."]}'
        return f'{where}: required but missing; send {{"texts": ["...", "..."]}}'
    if kind == "extra_forbidden":
        return f"{where}: unknown field; the fields are {', '.join(fields)}"
    if kind == "too_long" and where == "texts":
        return (
            f"texts: {ctx.get('actual_length', 'too many')} texts, more than this server's "
            f"limit of {limits['max_batch']} per request (--max-batch); split the batch"
        )
    if kind == "string_too_long":
        size = f"{len(value)} characters" if isinstance(value, str) else "too long"
        return (
            f"{where}: {size}, more than this server's limit of {limits['max_text_chars']} "
            "characters per text (--max-text-chars)"
        )
    if kind == "string_unicode":
        return (
            f"{where}: not Unicode text (it has a lone UTF-16 surrogate such as \\ud800); "
            "send valid UTF-8 text"
        )
    if where.startswith("ids["):
        return f"{where}: expected a string or an integer, found {_json_type(value)}"
    if kind == "list_type":
        return f"{where}: expected an array, found {_json_type(value)}"
    if kind == "string_type":
        return f"{where}: expected a string, found {_json_type(value)}"
    if where == "threshold":
        return f"threshold: expected a number from 0 to 1, found {found}"
    if where == "top":
        return f"top: expected an integer from 1 to {limits['max_top']}, found {found}"
    if where == "explain":
        return f"explain: expected true or false, found {found}"
    message = str(error.get("msg", "invalid"))
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        return message if where == "body" else f"{where}: {message}"
    return f"{where}: {message}"
