"""memtheory: the command-line front door of the toolkit.

The science lives in the import packages :mod:`theory`, :mod:`solvers`, :mod:`simulations` and
:mod:`figures`; this package only parses command lines and prints results.
"""

__version__ = "0.1.0"
