"""``python -m tracer.cli``: the same as the ``vmtrace`` console script."""

import sys

from tracer.cli import main

sys.exit(main())
