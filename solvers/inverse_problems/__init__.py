"""Inverse problems used with memorized priors: stylized maps (spec §6), Helmholtz FWI (spec §7), DPS (spec §9.1)."""
