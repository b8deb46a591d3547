"""Load and validate the knowledge base: `load(location)` returns the model and its problems."""

from ..model import KnowledgeBase
from .loader import Loaded, load, parse
from .problems import (
    ACCOUNTS,
    ASSETS,
    ENTITIES,
    LEDGER,
    PARTS,
    PORTFOLIO,
    PROJECTS,
    KnowledgeBaseError,
    Problem,
)
from .sources import DEFAULT_LOCATION

__all__ = [
    "ACCOUNTS",
    "ASSETS",
    "DEFAULT_LOCATION",
    "ENTITIES",
    "LEDGER",
    "PARTS",
    "PORTFOLIO",
    "PROJECTS",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Loaded",
    "Problem",
    "load",
    "parse",
]
