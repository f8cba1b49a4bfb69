"""``python -m emulator`` is ``opencrm-emulator``."""

import sys

from emulator.cli import main

sys.exit(main())
