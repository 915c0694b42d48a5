"""Markdown cells and tables of the model card, shared by its sections.

Every helper takes values as read from a manifest, which may be missing or malformed:
an undefined or unrecorded figure shows as :data:`_MISSING`, never as an error.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

#: Shown in a table cell for a figure that is undefined or was not recorded.
_MISSING = "–"


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("|", "\\|").replace("\n", " ")


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, ensure_ascii=False, indent=2) + "\n```"


def _compact_json_block(value: Mapping[str, Any]) -> str:
    """A JSON object with one top-level key per line and each value on that line."""
    lines = [
        f"  {json.dumps(key, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for key, v in value.items()
    ]
    return "```json\n{\n" + ",\n".join(lines) + "\n}\n```"


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one (malformed metrics never crash)."""
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _number(value: Any, digits: int = 3) -> str:
    """An int with thousands separators, a float to ``digits`` decimals, else a dash."""
    if not _is_number(value):
        return _MISSING
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def _percent(value: Any) -> str:
    return f"{100 * value:.2f}%" if _is_number(value) else _MISSING


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _code(value: Any) -> str:
    return f"`{value}`"


def _threshold(value: Any) -> str:
    return f"{value:g}" if _is_number(value) else _MISSING


def _label_name(flagged: Any) -> str:
    return _code(flagged) if flagged is not None else "flagged-label"
