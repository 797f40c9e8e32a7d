import sys

from mhwkb.cli import main

sys.exit(main())
