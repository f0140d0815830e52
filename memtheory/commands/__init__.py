"""Command groups of the ``memtheory`` CLI; each module exposes ``register(subparsers)``."""
