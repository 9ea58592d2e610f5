"""``python -m infranotes.cli``: the same as the ``infranotes`` command."""

import sys

from infranotes.cli import main

sys.exit(main())
