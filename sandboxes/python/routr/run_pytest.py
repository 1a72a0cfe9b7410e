"""Start pytest for a graded run, from outside /work (Routr's sandbox image).

Run as ``python3 -I -B /opt/routr/run_pytest.py ARGS``: isolated mode keeps the current
directory, the script's folder, PYTHON* variables and user site-packages off the import
path, so a ``pytest.py``, ``pytest/__main__.py``, ``sitecustomize.py`` or ``*.dist-info``
plugin in the repository is never imported in place of the runner. Routr's plugin
(``routr_pytest``) is found here; it puts /work on the path once pytest is loaded.
"""

import sys

sys.path.insert(0, "/opt/routr/python")

import pytest  # noqa: E402  (after the path is set, on purpose)

raise SystemExit(pytest.console_main())
