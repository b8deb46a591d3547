"""Whatever bytes a person (or a bad upload) puts in a file, loading reports problems, never crashes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import kb

FILES = [
    "portfolio.toml",
    "entities/jada.md",
    "projects/launch.md",
    "accounts.csv",
    "ledger.csv",
    "assets.csv",
]


def fixture_files(fixture_dir) -> dict[str, bytes]:
    return {
        path.relative_to(fixture_dir).as_posix(): path.read_bytes()
        for path in fixture_dir.rglob("*")
        if path.is_file()
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file=st.sampled_from(FILES), junk=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_junk_file_gives_problems_not_exceptions(fixture_dir, file, junk):
    files = fixture_files(fixture_dir)
    files[file] = junk

    loaded = kb.parse(files)

    assert all(problem.line >= 1 for problem in loaded.problems)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=2000), file=st.sampled_from(FILES))
def test_truncated_file_gives_problems_not_exceptions(fixture_dir, cut, file):
    files = fixture_files(fixture_dir)
    files[file] = files[file][:cut]

    loaded = kb.parse(files)

    assert {entity.id for entity in loaded.base.entities} <= {"jada", "rental-3028-51st"}
