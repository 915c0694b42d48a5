"""``python -m arabic_extremism_clf``: the ``aeclf`` command."""

import sys

from .cli import main

sys.exit(main())
