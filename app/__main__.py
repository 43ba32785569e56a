"""``python -m app`` runs the ``screener`` command."""

import sys

from app.cli import main

sys.exit(main())
