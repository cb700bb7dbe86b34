"""xent: entropy, cross-entropy and the cross-entropy losses, in small and exact NumPy.

The package behind the book *Cross-entropy, from first principles*: every number and figure
in the book is computed by the functions re-exported here.
"""

from xent.information import cross_entropy, entropy, kl_divergence, surprisal

__all__ = ["cross_entropy", "entropy", "kl_divergence", "surprisal"]
