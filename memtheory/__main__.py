"""``python -m memtheory`` is the same as the ``memtheory`` console script."""

import sys

from memtheory.cli import main

sys.exit(main())
