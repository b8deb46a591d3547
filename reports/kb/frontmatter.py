"""Split Markdown files at their `+++` TOML front matter and map TOML keys back to lines."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

from .problems import Unreadable

FENCE = "+++"
_ERROR_AT = re.compile(r"\s*\(at (?:line (\d+), column \d+|end of document)\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Document:
    """Hold parsed TOML, the Markdown body after it, and a key-to-line map."""

    data: dict
    body: str
    lines: LineIndex


def split(text: str) -> tuple[str, str, int]:
    """Return (front matter, body, lines before the front matter) of a Markdown file."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise Unreadable(1, f"expected front matter opening with a '{FENCE}' line")
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == FENCE:
            return "\n".join(lines[1 : number - 1]), "\n".join(lines[number:]).strip(), 1
    raise Unreadable(1, f"front matter is never closed with a '{FENCE}' line")


def parse(text: str, *, offset: int = 0, body: str = "") -> Document:
    """Parse TOML with money as Decimal; errors carry the line in the whole file."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        found = _ERROR_AT.search(str(error))
        line = int(found.group(1)) if found and found.group(1) else len(text.splitlines()) or 1
        message = _ERROR_AT.sub("", str(error))
        raise Unreadable(line + offset, f"invalid TOML: {message[:1].lower()}{message[1:]}") from None
    return Document(data, body, LineIndex.build(text, offset))


def parse_markdown(text: str) -> Document:
    """Parse a Markdown file with TOML front matter."""
    front, body, offset = split(text)
    return parse(front, offset=offset, body=body)


@dataclass(frozen=True)
class LineIndex:
    """Map a key path such as ("shortfall", 2, "severity") to its line in the file."""

    lines: dict[Path, int] = field(default_factory=dict)
    offset: int = 0

    @classmethod
    def build(cls, text: str, offset: int = 0) -> LineIndex:
        """Scan TOML text for table headers and `key =` lines (a best effort, not a parser)."""
        lines: dict[Path, int] = {}
        counts: dict[Path, int] = {}
        table: Path = ()
        in_string = False
        for number, raw in enumerate(text.splitlines(), start=1):
            if in_string:
                in_string = (raw.count('"""') + raw.count("'''")) % 2 == 0
                continue
            header, key = _HEADER.match(raw), _KEY.match(raw)
            if header and not key:
                table = _header_path(header.group(2), header.group(1) == "[[", counts)
                lines.setdefault(table, number)
                lines.setdefault(table[:-1] if header.group(1) == "[[" else table, number)
            elif key:
                lines.setdefault((*table, *_dotted(key.group(1))), number)
                in_string = (raw.count('"""') + raw.count("'''")) % 2 == 1
        return cls(lines, offset)

    def line(self, path: Path) -> int:
        """Return the line of `path`, or of its nearest ancestor found, in the whole file."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines[path] + self.offset if path else 1


def _dotted(key: str) -> list[str]:
    return [part.strip().strip("\"'") for part in key.split(".")]


def _header_path(name: str, is_array: bool, counts: dict[Path, int]) -> Path:
    path: Path = tuple(_dotted(name))
    if not is_array:
        return path
    index = counts.get(path, 0)
    counts[path] = index + 1
    return (*path, index)
