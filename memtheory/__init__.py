"""memtheory: a reference toolkit for the theory of memorization in learning.

One import name over the repository's layers (imports only point down the list):

* :mod:`memtheory.theory` — sympy derivations that write the generated numba kernels;
* :mod:`memtheory.solvers` — saddle-point solvers, capacity bounds, memorized-prior posteriors;
* :mod:`memtheory.simulations` — finite-size learners (never imports the solvers);
* :mod:`memtheory.studies` — figure data and every comparison of theory with simulation;
* :mod:`memtheory.figures` — draws what the studies produce, never computes;
* :mod:`memtheory.cli` — the command line.
"""

import os

# numba's parallel kernels run on GNU OpenMP, whose idle threads spin by default. A sweep hands work to
# its threads many times per grid; on a machine whose cores are busy with other work (CI, a second
# notebook, test workers) the spinning threads take the cores from the working ones: a sweep measured
# 18x slower (216 against 12 µs per point on 2 busy cores). Passive waiting costs a futex wake-up per
# parallel region, microseconds against the milliseconds a region runs. Set only where the user has
# not chosen, and before numba loads the OpenMP runtime, which reads it once when it is loaded.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
