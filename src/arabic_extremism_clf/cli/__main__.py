"""``python -m arabic_extremism_clf.cli``."""

import sys

from . import main

sys.exit(main())
