"""Frequency-domain 2-D Helmholtz forward operator with PML and adjoint-state gradient (docs/theory/posterior.md §5).

The PML equation is written in its symmetric form
``∂x (s_z/s_x ∂x u) + ∂z (s_x/s_z ∂z u) + omega^2 s_x s_z m u = -q``, ``s = 1 + i sigma(xi)/omega``,
``sigma(xi) = sigma_max (dist/L)^2``; with half-point coefficients the 5-point matrix is complex
*symmetric*, so the adjoint system ``A^H lam = b`` is solved with the same LU as
``lam = conj(A^-1 conj(b))`` (docs/theory/posterior.md §5: one factorization per model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from memtheory.core.checks import check_array, check_positive

__all__ = ["HelmholtzProblem", "make_problem", "HelmholtzSolution"]


def _stretch(n: int, npml: int, h: float, sigma_max: float, omega: float, half: bool) -> np.ndarray:
    """Stretch factors ``1 + i sigma/omega`` on nodes (or half nodes) of an axis with ``n`` padded nodes."""
    pos = np.arange(n) + (0.5 if half else 0.0)
    L = npml * h
    left = np.clip((npml - pos) * h, 0.0, None)
    right = np.clip((pos - (n - 1 - npml)) * h, 0.0, None)
    dist = np.maximum(left, right)
    return 1.0 + 1j * sigma_max * (dist / L) ** 2 / omega


def _solve_columns(lu, B: np.ndarray) -> np.ndarray:
    """``A^-1 B`` column by column: SuperLU's multi-RHS path in scipy is ~15x slower than a loop here."""
    out = np.empty(B.shape, dtype=complex)
    for j in range(B.shape[1]):
        out[:, j] = lu.solve(np.ascontiguousarray(B[:, j]))
    return out


@dataclass(frozen=True, eq=False)
class HelmholtzSolution:
    """Wavefields of one model, as returned by :meth:`HelmholtzProblem.solve`.

    Attributes
    ----------
    lu : object
        The sparse LU factorization of ``A(m)`` (reused for adjoint solves).
    u : ndarray, shape (n_pad, n_src)
        Complex wavefields on the padded grid, one column per source.
    data : ndarray, shape (n_src, n_rec)
        Complex receiver data.

    Examples
    --------
    >>> import numpy as np
    >>> sol = make_problem(n=16, n_src=2, n_rec=4).solve(np.full((16, 16), 0.25))
    >>> sol.u.shape, sol.data.shape
    ((1296, 2), (2, 4))

    See docs/theory/posterior.md §5.
    """

    lu: object
    u: np.ndarray
    data: np.ndarray


@dataclass(frozen=True, eq=False)
class HelmholtzProblem:
    """Single-frequency transmission geometry on an ``nz x nx`` interior grid.

    Sources along the top rows, receivers along the bottom rows; unknown is squared slowness ``m``
    on the interior (s^2/km^2), extended into the PML by edge values. Build one with
    :func:`make_problem`.

    Attributes
    ----------
    nz, nx : int
        Interior grid size.
    h : float
        Grid spacing (km).
    freq : float
        Frequency (Hz).
    npml : int
        PML width in cells.
    sigma_max : float
        Peak PML damping.
    src_idx, rec_idx : ndarray of int
        Flat indices of sources and receivers into the padded grid.

    Examples
    --------
    >>> import numpy as np
    >>> p = make_problem(n=16, n_src=2, n_rec=4)
    >>> p.padded_shape, p.n_src, p.n_rec
    ((36, 36), 2, 4)
    >>> p.forward(np.full((16, 16), 0.25)).shape
    (2, 4)

    See docs/theory/posterior.md §5.
    """

    nz: int
    nx: int
    h: float
    freq: float
    npml: int
    sigma_max: float
    src_idx: np.ndarray  # flat indices into the padded grid
    rec_idx: np.ndarray

    @property
    def omega(self) -> float:
        """Angular frequency (rad/s)."""
        return 2.0 * np.pi * self.freq

    @property
    def padded_shape(self) -> tuple[int, int]:
        """Grid shape including the PML."""
        return self.nz + 2 * self.npml, self.nx + 2 * self.npml

    @property
    def n_src(self) -> int:
        """Number of sources."""
        return int(self.src_idx.size)

    @property
    def n_rec(self) -> int:
        """Number of receivers."""
        return int(self.rec_idx.size)

    # ----------------------------------------------------------------------------------------------
    def _pad(self, m: np.ndarray) -> np.ndarray:
        return np.pad(m, self.npml, mode="edge")

    def _unpad_adjoint(self, g_pad: np.ndarray) -> np.ndarray:
        """Adjoint of edge padding (leading two axes): PML values accumulate onto the edge cells they copy."""
        p, nz, nx = self.npml, self.nz, self.nx
        g = g_pad.copy()
        g[p, :] += g[:p, :].sum(axis=0)
        g[p + nz - 1, :] += g[p + nz :, :].sum(axis=0)
        g[:, p] += g[:, :p].sum(axis=1)
        g[:, p + nx - 1] += g[:, p + nx :].sum(axis=1)
        return g[p : p + nz, p : p + nx]

    def _weights(self) -> np.ndarray:
        Nz, Nx = self.padded_shape
        sz = _stretch(Nz, self.npml, self.h, self.sigma_max, self.omega, half=False)
        sx = _stretch(Nx, self.npml, self.h, self.sigma_max, self.omega, half=False)
        return (sz[:, None] * sx[None, :]).ravel()

    def matrix(self, m) -> sp.csc_matrix:
        """The complex-symmetric Helmholtz matrix ``A(m)`` (padded grid, row-major)."""
        m = self._check_model(m)
        Nz, Nx = self.padded_shape
        w, h2 = self.omega, self.h**2
        sz = _stretch(Nz, self.npml, self.h, self.sigma_max, w, half=False)
        sx = _stretch(Nx, self.npml, self.h, self.sigma_max, w, half=False)
        szh = _stretch(Nz, self.npml, self.h, self.sigma_max, w, half=True)[:-1]  # between k and k+1
        sxh = _stretch(Nx, self.npml, self.h, self.sigma_max, w, half=True)[:-1]
        idx = np.arange(Nz * Nx).reshape(Nz, Nx)
        # x-couplings: coefficient s_z(i) / s_x(j+1/2) / h^2 between (i, j) and (i, j+1)
        cx = (sz[:, None] / sxh[None, :]) / h2
        cz = (sx[None, :] / szh[:, None]) / h2
        diag = w**2 * (sz[:, None] * sx[None, :]) * self._pad(m)
        diag = diag.astype(complex)
        diag[:, :-1] -= cx
        diag[:, 1:] -= cx
        diag[:-1, :] -= cz
        diag[1:, :] -= cz
        rows = [idx.ravel(), idx[:, :-1].ravel(), idx[:, 1:].ravel(), idx[:-1, :].ravel(), idx[1:, :].ravel()]
        cols = [idx.ravel(), idx[:, 1:].ravel(), idx[:, :-1].ravel(), idx[1:, :].ravel(), idx[:-1, :].ravel()]
        vals = [diag.ravel(), cx.ravel(), cx.ravel(), cz.ravel(), cz.ravel()]
        n = Nz * Nx
        return sp.csc_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))

    def _check_model(self, m) -> np.ndarray:
        m = check_array("m", m, shape=(self.nz, self.nx))
        if np.any(m <= 0):
            raise ValueError("m (squared slowness) must be > 0 everywhere")
        return m

    def _sources(self) -> np.ndarray:
        n = self.padded_shape[0] * self.padded_shape[1]
        q = np.zeros((n, self.n_src), dtype=complex)
        q[self.src_idx, np.arange(self.n_src)] = -1.0 / self.h**2  # discrete point source
        return q

    def solve(self, m) -> HelmholtzSolution:
        """Factorise ``A(m)`` once and return the fields of all sources and the receiver data."""
        A = self.matrix(m)
        # Symmetric ordering without pivoting (A = A^T): about half the fill of COLAMD with partial
        # pivoting and an order of magnitude faster here; the residual is checked in the tests.
        lu = spla.splu(A, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options=dict(SymmetricMode=True))
        u = _solve_columns(lu, self._sources())
        return HelmholtzSolution(lu=lu, u=u, data=u[self.rec_idx, :].T.copy())

    def forward(self, m) -> np.ndarray:
        """Complex receiver data, shape (n_src, n_rec)."""
        return self.solve(m).data

    def misfit_gradient(self, m, d_obs) -> tuple[float, np.ndarray]:
        """``Phi(m) = 1/2 sum |d(m) - d_obs|^2`` and its adjoint-state gradient (docs/theory/posterior.md §5).

        ``g = -omega^2 Re(conj(lam) * s_x s_z * u)`` summed over sources, ``A^H lam = P^T r`` solved with
        the forward LU thanks to ``A^T = A``.
        """
        sol = self.solve(m)
        d_obs = np.asarray(d_obs)
        if d_obs.shape != sol.data.shape:
            raise ValueError(f"d_obs must have shape {sol.data.shape}, got {d_obs.shape}")
        r = sol.data - d_obs
        phi = 0.5 * float(np.sum(np.abs(r) ** 2))
        b = np.zeros_like(sol.u)
        b[self.rec_idx, :] = r.T
        lam = np.conj(_solve_columns(sol.lu, np.conj(b)))
        g_pad = -self.omega**2 * np.real(np.sum(np.conj(lam) * sol.u, axis=1) * self._weights())
        return phi, self._unpad_adjoint(g_pad.reshape(self.padded_shape))

    def jacobian(self, m, dm_dp, sol: HelmholtzSolution | None = None) -> np.ndarray:
        """Jacobian of the complex data w.r.t. parameters ``p`` with ``∂m/∂p = dm_dp`` (nz*nx, d).

        ``∂d_{s,r}/∂m = -omega^2 G_r ⊙ s_x s_z ⊙ u_s`` with receiver Green's functions
        ``G_r = A^-1 e_r`` (``A^T = A``), so one multi-RHS solve over receivers serves every source.
        Returns shape (n_src, n_rec, d), complex.
        """
        if sol is None:
            sol = self.solve(m)
        dm_dp = np.asarray(dm_dp, dtype=np.float64)
        if dm_dp.ndim != 2 or dm_dp.shape[0] != self.nz * self.nx:
            raise ValueError(f"dm_dp must have shape ({self.nz * self.nx}, d), got {dm_dp.shape}")
        d = dm_dp.shape[1]
        n = self.padded_shape[0] * self.padded_shape[1]
        e_r = np.zeros((n, self.n_rec), dtype=complex)
        e_r[self.rec_idx, np.arange(self.n_rec)] = 1.0
        G = _solve_columns(sol.lu, e_r)  # (n, n_rec)
        # Adjoint of the edge padding applied to the sensitivity kernels, then chain rule to p.
        kern = -(self.omega**2) * (G * self._weights()[:, None])[:, None, :] * sol.u[:, :, None]  # (n, src, rec)
        kern = kern.reshape(*self.padded_shape, self.n_src * self.n_rec)
        kz = self._unpad_adjoint(kern)
        out = kz.reshape(self.nz * self.nx, -1).T @ dm_dp
        return out.reshape(self.n_src, self.n_rec, d)


def make_problem(
    n: int = 64,
    extent_km: float = 2.0,
    freq: float = 4.0,
    n_src: int = 5,
    n_rec: int = 40,
    npml: int = 10,
    sigma_max: float = 100.0,
) -> HelmholtzProblem:
    """Square transmission set-up (training config: 64×64, 5 sources, 40 receivers, 4 Hz).

    Parameters
    ----------
    n : int, default 64
        Interior grid points per side, >= 8.
    extent_km : float, default 2.0
        Side length of the square (km), > 0.
    freq : float, default 4.0
        Frequency (Hz), > 0.
    n_src, n_rec : int, default 5, 40
        Numbers of sources (top) and receivers (bottom), >= 1.
    npml : int, default 10
        PML width in cells.
    sigma_max : float, default 100.0
        Peak PML damping, > 0.

    Returns
    -------
    HelmholtzProblem
        The geometry; grid spacing ``extent_km / (n - 1)``.

    Examples
    --------
    >>> p = make_problem(n=16, n_src=2, n_rec=4)
    >>> p.nz, p.nx, round(p.h, 4), p.omega > 0
    (16, 16, 0.1333, True)

    See docs/theory/posterior.md §5.
    """
    if n < 8:
        raise ValueError(f"n must be >= 8, got {n!r}")
    if n_src < 1 or n_rec < 1:
        raise ValueError("n_src and n_rec must be >= 1")
    check_positive("freq", freq)
    check_positive("extent_km", extent_km)
    check_positive("sigma_max", sigma_max)
    h = extent_km / (n - 1)
    Nx = n + 2 * npml
    cols_s = npml + np.linspace(2, n - 3, n_src).round().astype(int)
    cols_r = npml + np.linspace(1, n - 2, n_rec).round().astype(int)
    src = (npml + 1) * Nx + cols_s
    rec = (npml + n - 2) * Nx + cols_r
    return HelmholtzProblem(n, n, h, float(freq), int(npml), float(sigma_max), src, rec)
