"""Executive reports: turn the portfolio's knowledge base and live counts into emailed reports.

`reports.extension` is what the host's composition root registers (see `plugin.py`).
"""

from .plugin import extension

__all__ = ["extension"]
