"""Check what the books say across files: deposits tied to their charters, and the AWS bill found.

Problems (a report that needs the ledger stops), at the row of a charter with a `ref` that: names
another entity's charter; is a second deposit for it; recognises or refunds with no deposit before
it; refunds more than was received; recognises or refunds (on the deposit account) more than is
held. Charters and their moves come from analysis/deposits.py. Warnings (the figures stay
sound, the fix is still worth making): a deposit-account row without a `ref`, matched by its memo;
a deposit with no `service_date`; a refund with an unreferenced revenue row of the same day and
amount (a recognition whose revenue half lost its `ref`?); running assets on AWS while no account in
accounts.csv is marked `vendor = aws`, so the AWS bill cannot be checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..analysis import deposits
from ..analysis.deposits import Charter, Move, Step, steps
from ..analysis.infrastructure import aws_accounts
from ..analysis.inventory import running
from ..model import KnowledgeBase, Source
from .problems import Problem


def check_books(base: KnowledgeBase) -> list[Problem]:
    """Return the deposit matching problems and the books' warnings, each at its file and line."""
    if not base.accounts:
        return []  # accounts.csv is unreadable and already reported: nothing to check against
    found = deposits.charters(base.ledger, base.accounts)
    problems = [_at(source, message) for source, message in mismatches(found)]
    return problems + _unreferenced(base) + _undated(found) + _lost_refs(base, found) + _no_aws_bill(base)


def mismatches(found: Iterable[Charter]) -> list[tuple[Source, str]]:
    """Return each row of a referenced charter that ties to no deposit or takes more than it may."""
    return [
        (step.row.source, message)
        for charter in found
        if charter.referenced
        for step in steps(charter)
        if (message := _mismatch(charter, step))
    ]


def _mismatch(charter: Charter, step: Step) -> str | None:
    amount, ref, first = abs(step.row.amount), charter.key, charter.deposit
    left = step.received - step.refunded
    if step.row.entity != charter.entity:
        return f"ref '{ref}' is a charter of {charter.entity}, not {step.row.entity}"
    if step.move is Move.DEPOSIT and first is not None and step.row is not first:
        return f"deposit referenced twice: ref '{ref}' is already the deposit at {first.source}"
    if step.move in (Move.RECOGNISED, Move.REFUND) and step.deposited == 0:
        what = "recognition" if step.move is Move.RECOGNISED else "refund"
        return f"{what} without its deposit: no earlier deposit row has ref '{ref}'"
    if step.move is Move.REVENUE_REFUND and step.received == 0:
        return f"refund without a matching deposit: nothing was received for ref '{ref}'"
    if step.move in (Move.REFUND, Move.REVENUE_REFUND) and amount > left:
        return f"refund of {amount:,.2f} for '{ref}' is more than the {left:,.2f} received"
    if step.move in (Move.RECOGNISED, Move.REFUND) and amount > step.held:
        return _over_held(step.move, amount, ref, step.held)
    return None


def _over_held(move: Move, amount: Decimal, ref: str, held: Decimal) -> str:
    if move is Move.RECOGNISED:
        return f"recognises {amount:,.2f} for '{ref}' but {held:,.2f} is held: already recognised or refunded"
    return (
        f"refund of {amount:,.2f} for '{ref}' but {held:,.2f} is still held: "
        "refund revenue already recognised on the revenue account"
    )


def _unreferenced(base: KnowledgeBase) -> list[Problem]:
    held = deposits.deposit_accounts(base.accounts)
    return [
        _warn(row.source, "deposit row without a ref, matched to its charter by memo text: put the "
              "booking id in the ref column of the deposit, its recognition and any refund")
        for row in base.ledger
        if row.account in held and not row.ref
    ]  # fmt: skip


def _undated(found: tuple[Charter, ...]) -> list[Problem]:
    return [
        _warn(c.deposit.source, f"deposit for '{c.key}' has no service_date: nobody can tell when it sails")
        for c in found
        if c.referenced and c.deposit is not None and c.service_date is None
    ]


def _lost_refs(base: KnowledgeBase, found: tuple[Charter, ...]) -> list[Problem]:
    """Warn about refunds that look like recognitions whose revenue row has no ref."""
    revenue = deposits.revenue_accounts(base.accounts)
    bare = {(r.entity, r.date, r.amount): r for r in base.ledger if r.account in revenue and not r.ref}
    return [
        _warn(
            row.source, f"refund for '{c.key}' or its recognition? {twin.source} has no ref: if so, give it"
        )
        for c in found
        if c.referenced
        for move, row in c.moves
        if move is Move.REFUND and (twin := bare.get((row.entity, row.date, -row.amount)))
    ]


def _no_aws_bill(base: KnowledgeBase) -> list[Problem]:
    on_aws = [asset for asset in running(base.assets) if asset.is_aws]  # retired ones bill nothing
    if not on_aws or aws_accounts(base.accounts):
        return []
    text = (
        f"{len(on_aws)} asset(s) run on AWS but no account in accounts.csv has vendor = aws: "
        "mark the account the AWS invoices are booked to, or the AWS bill cannot be checked"
    )
    return [_warn(on_aws[0].source, text)]


def _at(source: Source, message: str) -> Problem:
    return Problem(source.file, source.line, message)


def _warn(source: Source, message: str) -> Problem:
    return Problem(source.file, source.line, message, warning=True)
