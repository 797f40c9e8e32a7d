"""``python -m mhwkb``: the command line (``mhwkb.cli``).

A command that ends normally leaves without freeing its objects one by one: after a build
(Sphinx's environment and doctrees, the data frames) that takes most of a second, and every
file is already written and closed. Output and logging are flushed first.
"""

import logging
import os
import sys

from mhwkb.cli import main

status = main()
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(status)
