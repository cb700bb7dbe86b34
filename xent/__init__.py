"""xent: entropy, cross-entropy and the cross-entropy losses, in small and exact NumPy.

The package behind the book *Cross-entropy, from first principles*: every number and figure
in the book is computed by the functions re-exported here.
"""

from xent.information import cross_entropy, entropy, kl_divergence, surprisal
from xent.logistic import (
    binary_cross_entropy_with_logits,
    log_loss,
    log_sigmoid,
    log_softmax,
    logit,
    sigmoid,
    softmax,
)

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "entropy",
    "kl_divergence",
    "log_loss",
    "log_sigmoid",
    "log_softmax",
    "logit",
    "sigmoid",
    "softmax",
    "surprisal",
]
