"""Regenerate the numba kernels and the dispatch modules of ``solvers/raf/`` from the sympy derivations.

Usage: ``python -m memtheory.theory.generate`` (writes the files) or :func:`render_all` (returns their text).

What is generated is read from the solver's own modules, without importing them (the solvers never
import sympy and this package never imports the solvers):

* every loss module ``solvers/raf/channels/<loss>.py`` that declares ``MARGIN_LOSS`` (a table of
  polynomial pieces of the margin loss ``L(z)``) gets ``channels/_generated/<loss>.py``: its channel
  kernel, prox, loss value, kinks, zero crossing and the kind of its λ → 0 limit;
* every module of ``solvers/raf/channels/`` that declares ``KERNELS`` contributes the kernels
  ``<name>_conjugates`` to the integer-id dispatch ``channels/_generated/dispatch.py``;
* every learner module ``solvers/raf/priors/<learner>.py`` that declares ``STATE_SIZE`` contributes its
  ``channel_inputs``/``prior_update`` to ``priors/_generated/dispatch.py``.

Adding a piecewise-quadratic loss is therefore one module in ``solvers/raf/channels/`` plus a run of this
generator; adding a learner is one module in ``solvers/raf/priors/``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sympy as sp

from memtheory.theory import channels, priors
from memtheory.theory.codegen import HEADER, MOMENT_IMPORTS, kernel_source, print_expr

TARGET = Path(__file__).resolve().parent.parent / "solvers" / "raf"
CHANNEL_DIR = TARGET / "channels"
PRIOR_DIR = TARGET / "priors"

_CHANNEL_ARGS = ["alpha", "eps", "m", "q", "V", "nodes", "weights"]
_CHANNEL_PREAMBLE = [
    ("r", "math.sqrt(q)"),
    ("s", "math.sqrt(q - m * m)"),
    ("k", "m / s"),
]
_LIMIT_DOCS = {
    "square_interpolating": "λ → 0 min-norm interpolator (docs/theory/raf.md §6), rescaled V = λV.",
    "hinge_max_margin": "λ → 0 max-margin SVM (docs/theory/raf.md §6), rescaled V = λV.",
}


def _literals(path: Path) -> dict:
    """Module-level ``NAME = <literal>`` assignments of a source file (upper-case names only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name.isupper():
                try:
                    out[name] = ast.literal_eval(node.value)
                except ValueError:
                    pass
    return out


def _modules(folder: Path, key: str) -> dict[str, dict]:
    """Public modules of ``folder`` (sorted by name) declaring the literal ``key``."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        lits = _literals(path)
        if key in lits:
            found[path.stem] = lits
    return found


def loss_tables() -> dict[str, tuple]:
    """Loss name → its ``MARGIN_LOSS`` table, from the loss modules."""
    return {name: lits["MARGIN_LOSS"] for name, lits in _modules(CHANNEL_DIR, "MARGIN_LOSS").items()}


def _piecewise_function(name: str, args: str, pieces: list, doc: str) -> str:
    """``if u < hi: return expr`` chain over ordered pieces (boundaries belong to either side: the
    functions are continuous)."""
    lines = ['@njit(cache=True, error_model="numpy")', f"def {name}({args}):", f'    """{doc}"""']
    var = args.split(",")[0].strip()
    for lo, hi, expr in pieces[:-1]:
        lines.append(f"    if {var} < {print_expr(hi)}:")
        lines.append(f"        return float({print_expr(expr)})")
    lines.append(f"    return float({print_expr(pieces[-1][2])})")
    return "\n".join(lines) + "\n"


def render_loss(name: str, table) -> str:
    """Text of ``channels/_generated/<name>.py`` for the margin loss ``table``."""
    pieces = channels.prox_pieces(table)
    zero_set = channels.zero_loss_set(table)
    loss_pieces = [(lo, hi, expr.subs(channels.z, sp.Symbol("z"))) for lo, hi, expr in channels.margin_loss_pieces(table)]
    prox = [(pc.lo, pc.hi, pc.expr) for pc in channels.prox_margin(pieces)]
    u_plain = sp.Symbol("u")
    prox = [(lo.subs(channels.V, sp.Symbol("V")), hi.subs(channels.V, sp.Symbol("V")),
             e.subs({channels.u: u_plain, channels.V: sp.Symbol("V")})) for lo, hi, e in prox]
    parts = [
        HEADER.format(source=f"channels.py (MARGIN_LOSS of solvers/raf/channels/{name}.py)"),
        f'"""The {name} margin loss: channel kernel, prox, loss value and kinks, derived by sympy."""\n\n',
        "import math\n\nimport numpy as np\n\nfrom memtheory.core.jit import njit\n" + MOMENT_IMPORTS + "\n",
        f"KINKS = {channels.prox_kinks(pieces)!r}\n",
        '"""Margins ``u = a + bV`` (as ``(a, b)``) where the prox changes piece (quadrature split points)."""\n',
        f"ZERO_CROSSING = {channels.zero_crossing(table)!r}\n",
        '"""``c`` with ``p(u) = 0`` at ``u = −cV``: a training output has the wrong sign iff ``yω < −cV``."""\n',
        f"ZERO_LOSS_SET = {zero_set!r}\n",
        f"LIMIT_KERNEL = {channels.LIMIT_OF_ZERO_SET[zero_set]!r}\n",
        '"""Channel kernel of the λ → 0 limit below the interpolation threshold (``None``: no finite limit)."""\n',
        "\n\n",
        _piecewise_function("margin_loss", "z", loss_pieces, "``L(z)`` with ``ℓ(y, ẑ) = L(y ẑ)``."),
        "\n\n",
        _piecewise_function("margin_prox", "u, V", prox, "``argmin_z L(z) + (z − u)²/(2V)``."),
        "\n\n",
        '@njit(cache=True, error_model="numpy")\ndef _margin_prox_many(u, V, out):\n'
        "    for i in range(u.shape[0]):\n        out[i] = margin_prox(u[i], V[i])\n",
        "\n\n",
        '@njit(cache=True, error_model="numpy")\ndef _margin_loss_many(z, out):\n'
        "    for i in range(z.shape[0]):\n        out[i] = margin_loss(z[i])\n",
        "\n\n",
        "def margin_prox_array(u, V):\n"
        '    """Elementwise :func:`margin_prox` with numpy broadcasting."""\n'
        "    u, V = np.broadcast_arrays(np.asarray(u, dtype=np.float64), np.asarray(V, dtype=np.float64))\n"
        "    out = np.empty(u.size)\n"
        "    _margin_prox_many(np.ascontiguousarray(u.ravel()), np.ascontiguousarray(V.ravel()), out)\n"
        "    return out.reshape(u.shape)\n",
        "\n\n",
        "def margin_loss_array(z):\n"
        '    """Elementwise :func:`margin_loss` of an array."""\n'
        "    z = np.asarray(z, dtype=np.float64)\n"
        "    out = np.empty(z.size)\n"
        "    _margin_loss_many(np.ascontiguousarray(z.ravel()), out)\n"
        "    return out.reshape(z.shape)\n",
        "\n\n",
        kernel_source(f"{name}_conjugates", _CHANNEL_ARGS, channels.conjugates(pieces), _CHANNEL_PREAMBLE,
                      f"{name.replace('_', ' ').capitalize()} loss: (m̂, q̂, V̂) of docs/theory/raf.md, split at its kinks."),
        "\n\n",
        _jacobian_source(name, channels.conjugates(pieces), f"{name.replace('_', ' ').capitalize()} loss"),
        "\n\n",
        kernel_source(f"{name}_train_loss", ["eps", "m", "q", "V", "nodes", "weights"], channels.train_loss(table),
                      _CHANNEL_PREAMBLE, "Average training loss over the RAF mixture (docs/theory/raf.md §5), closed "
                      "up to the teacher moments."),
    ]
    return "".join(parts)


def _jacobian_source(name: str, conjugates: dict, what: str) -> str:
    """``<name>_jacobian``: the conjugates and their derivatives in one kernel (shared subexpressions)."""
    return kernel_source(f"{name}_jacobian", _CHANNEL_ARGS, channels.conjugates_jacobian(conjugates), _CHANNEL_PREAMBLE,
                         f"{what}: (m̂, q̂, V̂) and d(m̂, q̂, V̂)/d(m, q, V) row by row (docs/theory/raf.md, Newton steps).")


def render_limits() -> str:
    """Text of ``channels/_generated/limits.py``: the λ → 0 channels of docs/theory/raf.md §6."""
    parts = [
        HEADER.format(source="channels.py"),
        '"""The λ → 0 output channels below the interpolation threshold, generated from theory/channels.py."""\n\n'
        "import math\n\nfrom memtheory.core.jit import njit\n" + MOMENT_IMPORTS,
    ]
    for name, builder in channels.LIMITS.items():
        parts.append("\n\n" + kernel_source(f"{name}_conjugates", _CHANNEL_ARGS, channels.conjugates(builder()),
                                             _CHANNEL_PREAMBLE, _LIMIT_DOCS[name]))
        parts.append("\n\n" + _jacobian_source(name, channels.conjugates(builder()), _LIMIT_DOCS[name].split(" (")[0]))
    return "".join(parts)


def render_channel_dispatch() -> str:
    """Text of ``channels/_generated/dispatch.py``: integer ids and ``channel_conjugates``."""
    kernels = []  # (module, kernel name)
    with_jacobian = set()
    for module, lits in _modules(CHANNEL_DIR, "KERNELS").items():
        kernels += [(module, k) for k in lits["KERNELS"]]
        with_jacobian |= set(lits.get("JACOBIANS", ()))
    lines = [
        HEADER.format(source="generate.py, from the KERNELS of the modules of solvers/raf/channels/"),
        '"""Integer-id dispatch over every channel kernel (numba cannot cache a function that takes another\n'
        'compiled function as an argument, so the composed solver selects its channel by id)."""\n',
        "import math\n\nfrom memtheory.core.jit import njit\n",
    ]
    for module, k in kernels:
        lines.append(f"from memtheory.solvers.raf.channels.{module} import {k}_conjugates")
        if k in with_jacobian:
            lines.append(f"from memtheory.solvers.raf.channels.{module} import {k}_jacobian")
    lines.append("")
    modules = tuple(dict.fromkeys(m for m, _ in kernels))
    lines.append(f"CHANNEL_MODULES = {modules!r}")
    lines.append(f"KERNEL_NAMES = {tuple(k for _, k in kernels)!r}")
    lines.append('"""Kernel name by id."""')
    for i, (_, k) in enumerate(kernels):
        lines.append(f"{k.upper()} = {i}")
    lines += ["", "", '@njit(cache=True, error_model="numpy")',
              "def channel_conjugates(cid, alpha, eps, m, q, V, nodes, weights):",
              '    """Dispatch to the channel kernel ``cid``; returns ``(m̂, q̂, V̂)``."""']
    for i, (_, k) in enumerate(kernels[:-1]):
        lines.append(f"    if cid == {i}:")
        lines.append(f"        return {k}_conjugates(alpha, eps, m, q, V, nodes, weights)")
    lines.append(f"    return {kernels[-1][1]}_conjugates(alpha, eps, m, q, V, nodes, weights)")
    lines += ["", "", '@njit(cache=True, error_model="numpy")',
              "def channel_jacobian(cid, alpha, eps, m, q, V, nodes, weights, jac):",
              '    """Conjugates of kernel ``cid`` and, where sympy derived it, their Jacobian ``d(m̂, q̂, V̂)/d(m, q, V)``',
              "    written into ``jac``; returns ``(m̂, q̂, V̂, has_jacobian)`` (no Jacobian: the caller takes finite",
              '    differences)."""']
    for i, (_, k) in enumerate(kernels):
        lines.append(f"    if cid == {i}:")
        if k in with_jacobian:
            lines.append(f"        mh, qh, Vh, j00, j01, j02, j10, j11, j12, j20, j21, j22 = {k}_jacobian(alpha, eps, m, q, V, nodes, weights)")
            lines.append("        jac[0, 0], jac[0, 1], jac[0, 2] = j00, j01, j02")
            lines.append("        jac[1, 0], jac[1, 1], jac[1, 2] = j10, j11, j12")
            lines.append("        jac[2, 0], jac[2, 1], jac[2, 2] = j20, j21, j22")
            lines.append("        return mh, qh, Vh, True")
        else:
            lines.append(f"        mh, qh, Vh = {k}_conjugates(alpha, eps, m, q, V, nodes, weights)")
            lines.append("        return mh, qh, Vh, False")
    lines.append("    return math.nan, math.nan, math.nan, False")
    ids = tuple(i for i, (_, k) in enumerate(kernels) if k in with_jacobian)
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def channel_has_jacobian(cid):",
              '    """Whether :func:`channel_jacobian` has a sympy Jacobian for kernel ``cid``."""',
              f"    return cid in {ids!r}"]
    lines += _margin_dispatch(kernels)
    return "\n".join(lines) + "\n"


def _margin_dispatch(kernels) -> list[str]:
    """Integer-id ``margin_prox_by_id``/``margin_loss_by_id`` over the kernels that have a margin loss:
    a generated loss module's own kernel (``MARGIN_LOSS``) and the kernels a hand-written module lists
    in ``MARGIN_KERNELS``. The others (λ → 0 limits, Bayes-optimal) carry no loss value: prox ``u``,
    loss 0."""
    with_loss = []  # (id, kernel, import path)
    for i, (module, k) in enumerate(kernels):
        lits = _literals(CHANNEL_DIR / f"{module}.py")
        if "MARGIN_LOSS" in lits and k == module:
            with_loss.append((i, k, f"memtheory.solvers.raf.channels._generated.{module}"))
        elif k in lits.get("MARGIN_KERNELS", ()):
            with_loss.append((i, k, f"memtheory.solvers.raf.channels.{module}"))
    lines = [""]
    for _, k, path in with_loss:
        lines.append(f"from {path} import margin_loss as {k}_margin_loss  # noqa: E402")
        lines.append(f"from {path} import margin_prox as {k}_margin_prox  # noqa: E402")
        if path.endswith("._generated." + k):
            lines.append(f"from {path} import {k}_train_loss  # noqa: E402")
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def margin_prox_by_id(cid, u, V):",
              '    """Margin prox ``argmin_z L(z) + (z − u)²/(2V)`` of the loss of kernel ``cid`` (``u`` where the '
              'kernel has no loss)."""']
    for i, k, _ in with_loss:
        lines += [f"    if cid == {i}:", f"        return {k}_margin_prox(u, V)"]
    lines += ["    return u", "", "", '@njit(cache=True, error_model="numpy")', "def margin_loss_by_id(cid, z):",
              '    """Margin loss ``L(z)`` of kernel ``cid`` (0 where the kernel has no loss: λ → 0 limits, Bayes)."""']
    for i, k, _ in with_loss:
        lines += [f"    if cid == {i}:", f"        return {k}_margin_loss(z)"]
    lines.append("    return 0.0")
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def train_loss_by_id(cid, eps, m, q, V, nodes, weights):",
              '    """``(train loss, True)`` from the closed form sympy derived for kernel ``cid``, or ``(nan, False)``',
              '    where there is none (hand-written losses: the caller integrates the loss numerically)."""']
    for i, k, path in with_loss:
        if path.endswith("._generated." + k):
            lines += [f"    if cid == {i}:", f"        return {k}_train_loss(eps, m, q, V, nodes, weights), True"]
    lines.append("    return math.nan, False")
    return lines


def render_prior_dispatch() -> str:
    """Text of ``priors/_generated/dispatch.py``: learner ids, ``channel_inputs`` and ``prior_update``."""
    learners = _modules(PRIOR_DIR, "STATE_SIZE")
    names = list(learners)
    lines = [
        HEADER.format(source="generate.py, from the learner modules of solvers/raf/priors/"),
        '"""Integer-id dispatch over the learner priors (one module per learner)."""\n',
        "from memtheory.core.jit import njit\n",
    ]
    for n in names:
        lines.append(f"from memtheory.solvers.raf.priors.{n} import channel_inputs as {n}_channel_inputs")
        lines.append(f"from memtheory.solvers.raf.priors.{n} import prior_update as {n}_prior_update")
        if learners[n].get("PRIOR_JACOBIAN"):
            lines.append(f"from memtheory.solvers.raf.priors.{n} import prior_jacobian as {n}_prior_jacobian")
    lines.append("")
    lines.append(f"LEARNER_MODULES = {tuple(names)!r}")
    lines.append(f"STATE_SIZE = {tuple(learners[n]['STATE_SIZE'] for n in names)!r}")
    for i, n in enumerate(names):
        lines.append(f"{n.upper()} = {i}")
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def channel_inputs(lid, x, p):",
              '    """``(α_eff, m, q, V)`` seen by the output channel for the learner state ``x``."""']
    for i, n in enumerate(names[:-1]):
        lines += [f"    if lid == {i}:", f"        return {n}_channel_inputs(x, p)"]
    lines.append(f"    return {names[-1]}_channel_inputs(x, p)")
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def prior_update(lid, mh, qh, Vh, p, out, hats):",
              '    """New state ``out`` from the channel conjugates; the learner\'s own conjugates go to ``hats``."""']
    for i, n in enumerate(names[:-1]):
        lines += [f"    if lid == {i}:", f"        {n}_prior_update(mh, qh, Vh, p, out, hats)", "        return"]
    lines.append(f"    {names[-1]}_prior_update(mh, qh, Vh, p, out, hats)")
    with_jac = [(i, n) for i, n in enumerate(names) if learners[n].get("PRIOR_JACOBIAN")]
    lines += ["", "", '@njit(cache=True, error_model="numpy")', "def prior_jacobian(lid, mh, qh, Vh, p, out, hats, jp, ji):",
              '    """New state as :func:`prior_update`, ``jp = d(state)/d(m̂, q̂, V̂)`` and ``ji = d(m, q, V)/d(state)`` of the',
              "    channel inputs, for the learners whose module derives them (``PRIOR_JACOBIAN = True``); returns whether",
              '    it did (else the caller takes finite differences)."""']
    for i, n in with_jac:
        lines += [f"    if lid == {i}:", f"        {n}_prior_jacobian(mh, qh, Vh, p, out, hats, jp, ji)", "        return True"]
    lines.append("    return False")
    return "\n".join(lines) + "\n"


def render_priors() -> str:
    """Text of ``priors/_generated/ridge.py``: the ridge prior update."""
    outputs = priors.ridge_prior_update()
    return (
        HEADER.format(source="priors.py")
        + '"""Ridge prior channel (m, q, V) from (m̂, q̂, V̂), generated from theory/priors.py."""\n\n'
        + "from memtheory.core.jit import njit\n\n\n"
        + kernel_source(
            "ridge_prior",
            ["m_hat", "q_hat", "V_hat", "lam"],
            outputs,
            doc="Stationarity of the ridge prior potential (docs/theory/raf.md §3.1); lam = 1 gives the λ → 0 rescaling.",
        )
        + "\n\n"
        + kernel_source(
            "ridge_prior_jacobian",
            ["m_hat", "q_hat", "V_hat", "lam"],
            priors.ridge_prior_jacobian(),
            doc="The ridge prior and d(m, q, V)/d(m̂, q̂, V̂) row by row (docs/theory/raf.md §12, Newton steps).",
        )
    )


def render_random_features_prior() -> str:
    """Text of ``priors/_generated/random_features_prior.py``: the RF prior and its Jacobian."""
    return (
        HEADER.format(source="priors.py")
        + '"""Random-features prior state and its Jacobian in the channel conjugates, generated from theory/priors.py."""\n\n'
        + "import math\n\nfrom memtheory.core.jit import njit\n\n\n"
        + kernel_source(
            "random_features_prior_jacobian",
            ["mh", "qh", "Vh", "mu1", "mustar2", "lam", "kappa"],
            priors.random_features_prior_jacobian(),
            doc="The RF state (m_s, q_s, V_s, q_w, V_w) and its derivatives in (m̂, q̂, V̂), row by row "
                "(docs/theory/raf.md §12, Newton steps).",
        )
    )


def render_all() -> dict[str, str]:
    """Path (relative to ``solvers/raf/``) → text of every generated module."""
    files = {f"channels/_generated/{name}.py": render_loss(name, table) for name, table in loss_tables().items()}
    files["channels/_generated/limits.py"] = render_limits()
    files["channels/_generated/dispatch.py"] = render_channel_dispatch()
    files["priors/_generated/ridge.py"] = render_priors()
    files["priors/_generated/random_features_prior.py"] = render_random_features_prior()
    files["priors/_generated/dispatch.py"] = render_prior_dispatch()
    return files


def main() -> None:
    for fname, text in render_all().items():
        path = TARGET / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        init = path.parent / "__init__.py"
        if not init.exists():
            init.write_text('"""Generated by ``python -m memtheory.theory.generate``; do not edit by hand."""\n', encoding="utf-8")
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
