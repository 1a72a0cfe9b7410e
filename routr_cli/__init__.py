"""Routr: honest, cost-aware rankings of coding models, and a router built on them.

One BLAS thread for the statistics, set here because this runs before anything in the
package can load numpy (a caller's own setting wins). The bootstrap's matrices are models
x tasks: OpenBLAS's extra threads cost more CPU than they save (rank on a million
attempts: 2.6 -> 2.1 s CPU; a site rebuild: 11.3 -> 8.3 s), on a shared machine they only
wait for a core, and the thread count changes the last digits of some figures, so one
thread everywhere keeps `routr rank`, `routr recommend` and the site's pages equal.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
