"""The `rpt-course` console script: says what to install when the authoring extra is missing.

`pip install rpt-au` (the LMS and Studio runtime) installs the `rpt-course` script too, but not what
it needs to build, validate or preview. Started there, the script exits with status 2 and one line
naming the install command, instead of a traceback from the first missing import.
"""
from __future__ import annotations

import importlib
import sys

# Import names of what `build` and `validate` need from `rpt-au[authoring]` (setup.py AUTHORING);
# the preview reports its own missing xblock-sdk.
AUTHORING_IMPORTS = ("markdown", "pymdownx", "olxcleaner")
INSTALL_HINT = 'rpt-course needs the authoring extra, which this environment lacks ({missing}): pip install "rpt-au[authoring]"'


def missing_authoring_packages() -> list[str]:
    """The import names of AUTHORING_IMPORTS that cannot be imported here (the command imports them all)."""
    missing = []
    for name in AUTHORING_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def main(argv: list[str] | None = None) -> int:
    missing = missing_authoring_packages()
    if missing:
        print(INSTALL_HINT.format(missing=", ".join(missing)), file=sys.stderr)
        return 2
    from rpt_course.cli import main as cli_main
    return cli_main(argv)
