"""Finite-size simulations of the Rules-and-Facts model (docs/theory/raf.md §1, §5, §11).

>>> from memtheory.simulations import raf as sim
>>> r = sim.simulate(learner="linear", loss="hinge", lam=0.1, alpha=2.0, epsilon=0.2, d=200, seeds=3)
>>> r.gen_error.shape
(3,)

Learners: ``linear`` (exact square / hinge / logistic ERM), ``kernel`` (KRR and kernel SVM with
dot-product or spherical RBF kernels), ``random_features`` (ERM on σ(Fx/√d)) and ``two_layer`` (a
PyTorch network, optional extra ``neural``). Nothing here imports :mod:`solvers`: the simulations are
the independent check on the theory (:mod:`memtheory.studies.raf_validate` does the comparison).
"""

from ._threads import blas_threads
from .activations import ACTIVATIONS, gaussian_coefficients
from .campaign import run_campaign, run_points
from .datasets import RAFData, make_raf_data, make_teacher, make_test_set
from .experiment import LEARNERS, SimResult, SimSpec, make_spec, run_one, simulate
from .kernel_learners import KernelFit, fit_kernel
from .kernels import KERNELS, DotProductKernel, make_kernel
from .linear import LinearFit, fit_linear
from .measure import Measurement, population_gen_error
from .random_features import rf_features
from .spectra import make_spectrum

__all__ = [
    "ACTIVATIONS", "KERNELS", "LEARNERS",
    "DotProductKernel", "KernelFit", "blas_threads", "LinearFit", "Measurement", "RAFData", "SimResult", "SimSpec",
    "fit_kernel", "fit_linear", "gaussian_coefficients", "make_kernel", "make_raf_data", "make_spec",
    "make_spectrum", "make_teacher", "make_test_set", "population_gen_error", "rf_features", "run_campaign", "run_one",
    "run_points", "simulate",
]
