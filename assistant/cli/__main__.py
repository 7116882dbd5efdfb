"""`python -m assistant.cli`: the same command line as the `send-assistant` script."""

import sys

from assistant.cli import main

sys.exit(main())
