"""Print the mutation score of each module mutmut checked, and the mutants that survived.

Reads mutmut 3's results (`mutants/<path>.py.meta`, one exit code per mutant) and the equivalent
mutants listed in docs/testing.md (a line "- `<mutant name>`: why it cannot change behaviour"),
which are set aside: score = killed / (checked - equivalent), where checked is every mutant of
the module after a full run. Timeouts count as killed (the mutant was caught); "no tests" counts
as survived (nothing would notice it).

    python scripts/mutation_score.py [MODULE ...]   # paths, e.g. reports/analysis/finance.py
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "mutants"
EQUIVALENTS = ROOT / "docs" / "testing.md"
LISTED = re.compile(r"^- `(?P<name>[\w.]+__mutmut_\d+)`")
KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # failed tests, pytest error, timeouts, type check
STATUS = {0: "survived", 5: "no tests", 33: "no tests"}


def equivalents(path: Path = EQUIVALENTS) -> set[str]:
    """Return the mutant names docs/testing.md sets aside as equivalent."""
    if not path.exists():
        return set()
    return {match["name"] for line in path.read_text().splitlines() if (match := LISTED.match(line))}


def results(wanted: list[str]) -> dict[str, dict[str, int | None]]:
    """Return {module path: {mutant name: exit code}} for the modules asked for (all if none)."""
    found = {}
    for meta in sorted(RESULTS.rglob("*.py.meta")):
        module = meta.relative_to(RESULTS).as_posix().removesuffix(".meta")
        if module.startswith(("tests/", "mutants/")) or (
            wanted and not any(module.startswith(w) for w in wanted)
        ):
            continue
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        if any(code is not None for code in codes.values()):  # a module this run did not check is left out
            found[module] = codes
    return found


def main(argv: list[str]) -> int:
    wanted = [arg.removeprefix("./") for arg in argv]
    set_aside = equivalents()
    by_module = results(wanted)
    if not by_module:
        print("no mutmut results: run `make mutate` first")
        return 1
    survivors, unchecked = [], 0
    print(f"{'module':40} {'mutants':>7} {'checked':>7} {'killed':>6} {'equiv.':>6} {'score':>6}")
    for module, codes in by_module.items():
        checked = {name: code for name, code in codes.items() if code is not None}
        unchecked += len(codes) - len(checked)
        equivalent = [name for name in checked if name in set_aside]
        killed = [name for name, code in checked.items() if code in KILLED and name not in set_aside]
        judged = len(checked) - len(equivalent)
        score = f"{100 * len(killed) / judged:5.1f}%" if judged else "    -"
        print(f"{module:40} {len(codes):7} {len(checked):7} {len(killed):6} {len(equivalent):6} {score:>6}")
        survivors += [
            (name, STATUS.get(code, f"exit {code}"))
            for name, code in checked.items()
            if code not in KILLED and name not in set_aside
        ]
    if unchecked:
        print(f"\n{unchecked} mutants of these modules not checked yet (a scoped or stopped run)")
    if survivors:
        print(f"\n{len(survivors)} not killed (`.venv/bin/mutmut show <name>` shows the change):")
        for name, status in survivors:
            print(f"  {name}: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
