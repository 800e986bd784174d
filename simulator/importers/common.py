"""What every importer shares: reading JSON safely, policy documents, timestamps, notices.

Each importer turns one kind of export into small frozen records (``records.py``);
problems that stop the import are one :class:`LocatedError`, and things an import
cannot know are :class:`Notice` entries, never guesses.
"""

from __future__ import annotations

import enum
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.kb.jsonnumbers import NumberTooLong, line_col, parse_int

# A GAAD export of a large account is a few tens of MiB; anything far bigger is not an export.
MAX_EXPORT_BYTES = 64 * 1024 * 1024


class Severity(str, enum.Enum):
    """How much a notice matters to the verdicts built on the import."""

    INFO = "info"
    WARNING = "warning"
    UNKNOWN = "unknown"  # a piece of the account the import could not see


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a user should know about an import: where, what, and how much it matters."""

    severity: Severity
    where: str
    message: str
    subjects: tuple[str, ...] = ()  # the principals it concerns, as "user/name", "role/name", "group/name"

    def line(self) -> str:
        """The notice as one line of text."""
        return f"{self.severity.value}: {self.where}: {self.message}"


class Notices:
    """A growing list of notices, collected while one source is read."""

    def __init__(self) -> None:
        self.items: list[Notice] = []

    def add(self, severity: Severity, where: str, message: str, subjects: tuple[str, ...] = ()) -> None:
        """Record one notice."""
        self.items.append(Notice(severity, where, message, subjects))

    def unknown(self, where: str, message: str, subjects: tuple[str, ...] = ()) -> None:
        """Record a piece of the account the import cannot know (and whose verdicts it clouds)."""
        self.add(Severity.UNKNOWN, where, message, subjects)

    def warn(self, where: str, message: str) -> None:
        """Record a problem that does not stop the import."""
        self.add(Severity.WARNING, where, message)

    def info(self, where: str, message: str) -> None:
        """Record something done on the user's behalf (e.g. a dropped password)."""
        self.add(Severity.INFO, where, message)

    def __iter__(self) -> Iterator[Notice]:
        return iter(self.items)


def read_json(path: str | Path, what: str, max_bytes: int = MAX_EXPORT_BYTES) -> Any:
    """Parse a JSON export, refusing by size before reading and locating syntax errors.

    An empty (zero-byte or whitespace-only) file returns None: that is what a CLI call
    that failed with "no such policy" leaves behind (input-formats §0 rule 5).
    """
    from gluesim.kb.yamlsafe import read_text

    text = read_text(path, max_bytes=max_bytes, what=what)
    if not text.strip():
        return None
    return loads_json(text, str(path))


def loads_json(text: str, name: str) -> Any:
    """Parse JSON text; a syntax error becomes ``name:line:col: invalid JSON: ...``."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_int=parse_int)
    except NumberTooLong as exc:
        line, col = line_col(text, exc)
        raise LocatedError(f"{name}:{line}:{col}", exc.message()) from None
    except json.JSONDecodeError as exc:
        hint = "the file ends early; re-run the export" if _ends_early(text) else "fix the JSON"
        raise LocatedError(f"{name}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}; {hint}") from None
    except _DuplicateKey as exc:
        raise LocatedError(name, f"duplicate key {exc.key!r} in one JSON object; keep one") from None
    except RecursionError:
        raise LocatedError(name, "JSON nested too deeply; expected an AWS CLI export") from None


def _ends_early(text: str) -> bool:
    """True when the text stops inside a string or with brackets still open (a cut-off export)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            escaped, in_string = (not escaped and char == "\\"), in_string and (escaped or char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def decode_policy_document(value: Any, where: str) -> dict[str, Any]:
    """A policy document given as an object, a JSON string or a URL-encoded JSON string.

    botocore decodes IAM's RFC 3986 URL-encoded documents with ``unquote`` (not
    ``unquote_plus``: a literal ``+`` is legal in a policy); other producers leave them
    encoded (input-formats §1.3).
    """
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise LocatedError(where, f"a policy document must be a JSON object or string, not {_kind(value)}")
    text = value.strip()
    candidates = [text] if text.startswith("{") else [urllib.parse.unquote(text), text]
    for candidate in candidates:
        try:
            document = json.loads(candidate, parse_int=parse_int)
        except NumberTooLong as exc:
            raise LocatedError(where, f"the policy document holds {exc.message()}") from None
        except (json.JSONDecodeError, RecursionError):
            continue
        if isinstance(document, dict):
            return document
    raise LocatedError(where, f"cannot read the policy document {_preview(text)!r}; expected JSON, plain or URL-encoded")


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_timestamp(value: Any, where: str) -> datetime | None:
    """A timestamp in any of the four forms AWS exports use, as an aware UTC datetime.

    Forms (input-formats §0 rule 3): wire ``2014-07-30T17:09:20Z`` (with or without
    ``.000``), epoch seconds ``1602084052.0``, ISO with offset
    ``2019-12-02T19:47:14.861000+00:00``, and boto3's ``2022-08-07 12:55:43+00:00``.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise LocatedError(where, f"expected a timestamp, got {value!r}")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=UTC)
    if isinstance(value, str) and _ISO.match(value.strip()):
        text = value.strip().replace("Z", "+00:00")
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raise LocatedError(where, f"cannot read the timestamp {value!r}; expected ISO 8601 or epoch seconds")


def as_list(value: Any, where: str, notices: Notices | None = None) -> list[Any]:
    """A list field: missing means empty (boto3 drops empty lists); a lone object becomes ``[object]``."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        if notices is not None:
            notices.warn(where, "a single object where a list was expected; read it as a one-item list")
        return [value]
    raise LocatedError(where, f"expected a list, got {_kind(value)}")


def as_dict(value: Any, where: str) -> dict[str, Any]:
    """An object field: missing means empty."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise LocatedError(where, f"expected an object, got {_kind(value)}")


def text_field(item: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    """A string field of an export record, or a located error naming the JSON path."""
    value = item.get(key)
    if value is None:
        if required:
            raise LocatedError(f"{where}.{key}", "missing; expected a string")
        return None
    if not isinstance(value, str):
        raise LocatedError(f"{where}.{key}", f"expected a string, got {_kind(value)}")
    return value


ARN_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")


def arn_parts(arn: str) -> tuple[str, str, str, str, str] | None:
    """(partition, service, region, account, resource) of an ARN, or None when it is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    return parts[1], parts[2], parts[3], parts[4], parts[5]


def partition_of_region(region: str) -> str:
    """The partition a region belongs to (``cn-north-1`` → ``aws-cn``)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _preview(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def unknowns_by_subject(notices: list[Notice]) -> dict[str, tuple[str, ...]]:
    """``{"user/alice": (what is unknown about her permissions, ...)}`` from the notices."""
    found: dict[str, list[str]] = {}
    for notice in notices:
        if notice.severity is Severity.UNKNOWN:
            for subject in notice.subjects:
                found.setdefault(subject, []).append(f"{notice.where}: {notice.message}")
    return {subject: tuple(messages) for subject, messages in found.items()}
