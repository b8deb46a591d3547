"""TOML keys map back to the lines a person edits; malformed front matter says where."""

from __future__ import annotations

import pytest

from reports.kb import frontmatter
from reports.kb.problems import Unreadable

TOML = """\
name = "x"            # line 1
notes = '''
key = "inside a string"
'''
[unit_economics]      # line 5
average_price = 10

[[channel]]           # line 8
name = "Website"

[[channel]]           # line 11
name = "Sailo"
sequence = 1
"""


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (("name",), 1),
        (("unit_economics", "average_price"), 6),
        (("channel", 0, "name"), 9),
        (("channel", 1), 11),
        (("channel", 1, "sequence"), 13),
        (("channel", 1, "missing"), 11),  # an absent key points at its table
        (("key",), 1),  # text inside a multi-line string is not a key
        (("absent",), 1),
    ],
)
def test_key_paths_map_to_lines(path, line):
    assert frontmatter.LineIndex.build(TOML).line(path) == line


def test_markdown_front_matter_lines_count_the_opening_fence():
    document = frontmatter.parse_markdown('+++\nid = "jada"\nkind = "charter"\n+++\n\nBody text.\n')

    assert document.lines.line(("kind",)) == 3
    assert document.body == "Body text."


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("no fence\n", 1, "expected front matter opening with a '+++' line"),
        ("+++\nid = 1\n", 1, "front matter is never closed with a '+++' line"),
        ('+++\nid = "a"\nkind = \n+++\n', 3, "invalid TOML: invalid value"),
    ],
)
def test_malformed_front_matter_says_where(text, line, message):
    with pytest.raises(Unreadable) as error:
        frontmatter.parse_markdown(text)

    assert (error.value.line, error.value.message) == (line, message)
