"""``python -m emulator`` is ``opencrm-emulator``."""

import sys

from emulator.serving.cli import main

sys.exit(main())
