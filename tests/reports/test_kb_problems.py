"""Broken knowledge bases give `file:line: message` and cost only the data they break."""

from __future__ import annotations

import pytest

from reports import kb


def replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, f"fixture no longer contains {old!r}"
        return text.replace(old, new, 1)

    return edit


# (file, edit, expected problem) — lines are the fixture's, counted by hand.
CASES = [
    pytest.param(
        "entities/jada.md",
        replace("average_price = 1000", "average_price = 1000,"),
        "entities/jada.md:10: invalid TOML: expected newline or end of document after a statement",
        id="bad-toml",
    ),
    pytest.param(
        "ledger.csv",
        replace("2026-01-20,jada,5000,-60.00", "2026-01-20,jada,5999,-60.00"),
        "ledger.csv:6: unknown account '5999' (not in accounts.csv)",
        id="unknown-account",
    ),
    pytest.param(
        "ledger.csv",
        replace("2026-02-28,portfolio,6310", "2026-02-30,portfolio,6310"),
        "ledger.csv:12: 'date' must be a date YYYY-MM-DD, not '2026-02-30'",
        id="bad-date-after-multiline-memo",
    ),
    pytest.param(
        "ledger.csv",
        replace("2026-01-02,rental-3028-51st,4100", "2026-01-02,rental-3082-51st,4100"),
        "ledger.csv:3: unknown entity 'rental-3082-51st' (not in entities/)",
        id="unknown-entity-in-ledger",
    ),
    pytest.param(
        "ledger.csv",
        replace("2026-01-31,portfolio,6310,-12.34", "2026-01-31,portfolio,6310,twelve"),
        "ledger.csv:7: 'amount' must be a number, not 'twelve'",
        id="non-numeric-amount",
    ),
    pytest.param(
        "assets.csv",
        replace("jada,cloud,s3,Site", "jadaa,cloud,s3,Site"),
        "assets.csv:3: unknown entity 'jadaa' (not in entities/)",
        id="unknown-entity-in-assets",
    ),
    pytest.param(
        "projects/launch.md",
        replace('entity = "jada"\ntitle', 'entity = "jadaa"\ntitle'),
        "projects/launch.md:1: unknown entity 'jadaa' (not in entities/)",
        id="unknown-entity-in-handoff",
    ),
    pytest.param(
        "projects/launch.md",
        replace('severity = "high"', 'severity = "urgent"'),
        "projects/launch.md:18: 'severity' must be one of critical, high, medium, low; not 'urgent'",
        id="bad-enum",
    ),
    pytest.param(
        "projects/launch.md",
        replace("current = 120", "curent = 120"),
        "projects/launch.md:32: unknown field 'curent'",
        id="misspelt-key",
    ),
    pytest.param(
        "projects/launch.md",
        replace('title = "Keys in source"\n', ""),
        "projects/launch.md:16: missing required field 'title'",
        id="missing-field",
    ),
    pytest.param(
        "portfolio.toml",
        replace('account = "6300"', 'account = "6301"'),
        "portfolio.toml:17: unknown account '6301' (not in accounts.csv)",
        id="rule-names-unknown-account",
    ),
    pytest.param(
        "portfolio.toml",
        replace('"2026-01" = 1000', '"2026-13" = 1000'),
        "portfolio.toml:9: revenue target month must be YYYY-MM, not '2026-13'",
        id="bad-month",
    ),
    pytest.param(
        "accounts.csv",
        lambda text: text + "6000,Dockage again,expense,dockage,fixed\n",
        "accounts.csv:10: duplicate account code '6000' (first at accounts.csv:7)",
        id="duplicate-account",
    ),
    pytest.param(
        "entities/rental-3028-51st.md",
        replace('id = "B"', 'id = "A"'),
        "entities/rental-3028-51st.md:14: duplicate unit id 'A' (first at entities/rental-3028-51st.md:7)",
        id="duplicate-unit",
    ),
    pytest.param(
        "entities/rental-3028-51st.md",
        replace('id = "rental-3028-51st"', 'id = "rental"'),
        "entities/rental-3028-51st.md:2: id 'rental' must match the file name (rental-3028-51st.md)",
        id="id-not-file-name",
    ),
    pytest.param(
        "entities/jada.md",
        replace(
            "+++\n\n# JADA",
            '[[unit]]\nid = "A"\nname = "Cabin"\nmonthly_rent = 1\nstatus = "vacant"\n+++\n\n# JADA',
        ),
        "entities/jada.md:36: [[unit]] tables belong to rental entities, not charter",
        id="kind-data-on-the-wrong-kind",
    ),
    pytest.param(
        "entities/jada.md",
        replace('[unit_economics]\nunit = "charter"\naverage_price = 1000\nvariable_cost = 250\n', ""),
        "entities/jada.md:1: missing required field 'unit_economics'",
        id="charter-without-unit-economics",
    ),
    pytest.param(
        "ledger.csv",
        replace("date,entity,account,amount,memo", "date,entity,account,value,memo"),
        "ledger.csv:1: missing column(s): amount",
        id="missing-column",
    ),
    pytest.param(
        "ledger.csv",
        replace("2026-01-01,jada,6000,-400.00,Slip", "2026-01-01,jada,6000,-400.00"),
        "ledger.csv:2: expected 5 columns, found 4",
        id="short-row",
    ),
    pytest.param(
        "entities/jada.md",
        replace("+++\n\n# JADA", "\n# JADA"),
        "entities/jada.md:1: front matter is never closed with a '+++' line",
        id="unclosed-front-matter",
    ),
]


@pytest.mark.parametrize(("file", "edit", "expected"), CASES)
def test_broken_input_points_at_file_and_line(broken_copy, file, edit, expected):
    # GIVEN the fixture with one mistake WHEN it is loaded
    loaded = kb.load(str(broken_copy(file, edit)))

    # THEN exactly that mistake is reported, where it is
    assert [str(problem) for problem in loaded.problems] == [expected]


def test_broken_ledger_still_loads_everything_else(broken_copy):
    root = broken_copy("ledger.csv", lambda text: text.replace("date,entity", "when,entity"))

    loaded = kb.load(str(root))

    assert loaded.base.ledger == ()
    assert [entity.id for entity in loaded.base.entities] == ["jada", "rental-3028-51st"]
    assert len(loaded.base.projects) == 1 and loaded.base.portfolio is not None
    assert loaded.broken_parts == {kb.LEDGER}
    # a CFO-like report needing the ledger fails; a CMO-like one needing entities does not
    assert loaded.problems_for([kb.LEDGER, kb.ACCOUNTS]) != ()
    assert loaded.problems_for([kb.ENTITIES, kb.PROJECTS]) == ()


def test_bad_entity_file_does_not_cascade_into_the_ledger(broken_copy):
    root = broken_copy("entities/jada.md", lambda text: text.replace('kind = "charter"', "kind = "))

    loaded = kb.load(str(root))

    # jada's rows in ledger.csv still resolve: the file name says which entity it was
    assert loaded.broken_parts == {kb.ENTITIES}
    assert [entity.id for entity in loaded.base.entities] == ["rental-3028-51st"]


def test_bad_row_is_skipped_but_the_others_load(broken_copy):
    root = broken_copy(
        "ledger.csv", replace("2026-01-31,portfolio,6310,-12.34", "2026-01-31,portfolio,6310,x")
    )

    assert len(kb.load(str(root)).base.ledger) == 9


def test_missing_files_are_problems(tmp_path):
    (tmp_path / "entities").mkdir()

    loaded = kb.load(str(tmp_path))

    assert [str(problem) for problem in loaded.problems] == [
        "accounts.csv:1: file is missing",
        "assets.csv:1: file is missing",
        "entities/:1: no entities found (expected entities/*.md)",
        "ledger.csv:1: file is missing",
        "portfolio.toml:1: file is missing",
    ]
    assert loaded.base.portfolio is None


def test_non_utf8_file_is_a_problem(broken_copy):
    root = broken_copy("assets.csv", lambda text: text)
    (root / "assets.csv").write_bytes(b"entity,type\n\xff\xfe,cloud\n")

    assert [str(problem) for problem in kb.load(str(root)).problems] == ["assets.csv:2: not UTF-8 text"]


def test_missing_directory_raises(tmp_path):
    with pytest.raises(kb.KnowledgeBaseError, match="no such directory"):
        kb.load(str(tmp_path / "nowhere"))


def test_problem_renders_like_a_compiler():
    problem = kb.Problem("ledger.csv", 12, "unknown account '5999'")

    assert str(problem) == "ledger.csv:12: unknown account '5999'"
    assert str(problem.located("s3://bucket/kb/")) == "s3://bucket/kb/ledger.csv:12: unknown account '5999'"
