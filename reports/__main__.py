"""Run the reports command line: `python -m reports --help`."""

import sys

from .cli import main

sys.exit(main())
