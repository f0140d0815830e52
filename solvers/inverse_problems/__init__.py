"""Inverse problems used with memorized priors: stylized maps (docs/theory/posterior.md §5), Helmholtz FWI (docs/theory/posterior.md §5), DPS (docs/theory/posterior.md §5)."""
