"""Data producers for the figure gallery and the grid commands.

Each producer is a plain function ``f(**params) -> dict[str, numpy.ndarray | scalar]`` whose parameters
are JSON-serialisable, so that :class:`memtheory.core.cache.DiskCache` can key its result. Producers only call
the solvers (:mod:`memtheory.solvers.raf`); they never draw.
"""
