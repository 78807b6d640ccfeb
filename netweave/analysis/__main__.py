"""``python -m netweave.analysis FILE [--nodes NODES.csv] [--directed] [--json]``."""

import sys

from netweave.analysis.cli import main

sys.exit(main())
