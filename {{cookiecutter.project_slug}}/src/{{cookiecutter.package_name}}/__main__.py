"""`python -m {{ cookiecutter.package_name }}` is the same as the console script."""

import sys

from .cli import main

sys.exit(main())
