"""Every figure in the book, drawn in one shared style (:mod:`xent.plotting.style`).

Each public function returns a :class:`matplotlib.figure.Figure` and computes what it shows
with :mod:`xent`'s own functions, so the tests can call it and compare the stored figures in
the notebooks with fresh ones. The figures live in one module per part of the book; all are
re-exported here, so a notebook writes ``from xent import plotting`` and
``plotting.surprisal_figure()``.
"""

from xent.plotting.accuracy import (
    accuracy_figure,
)
from xent.plotting.benchmark import (
    benchmark_figure,
)
from xent.plotting.calibration import (
    learning_rate_sweep_figure,
    reliability_diagram_figure,
    scoring_rules_figure,
)
from xent.plotting.compression import (
    code_length_figure,
    compressors_figure,
)
from xent.plotting.evidence import (
    paired_differences_figure,
)
from xent.plotting.information import (
    binary_entropy_figure,
    cross_entropy_contributions_figure,
    cross_entropy_landscape_figure,
    entropy_bars_figure,
    sample_estimate_figure,
    surprisal_figure,
)
from xent.plotting.keras import (
    focal_loss_figure,
    from_logits_figure,
    label_smoothing_figure,
)
from xent.plotting.logistic import (
    logit_gradient_figure,
    loss_by_label_figure,
    sigmoid_figure,
    training_curves_figure,
    true_class_loss_figure,
)
from xent.plotting.pytorch import (
    pos_weight_figure,
    softmax_twice_figure,
)
from xent.plotting.softmax import (
    log_softmax_stability_figure,
    optimism_figure,
    predicted_distributions_figure,
    softmax_training_figure,
    temperature_figure,
)
from xent.plotting.style import COLORS, STYLE, new_figure, styled

__all__ = [
    "COLORS",
    "STYLE",
    "accuracy_figure",
    "benchmark_figure",
    "binary_entropy_figure",
    "code_length_figure",
    "compressors_figure",
    "cross_entropy_contributions_figure",
    "cross_entropy_landscape_figure",
    "entropy_bars_figure",
    "focal_loss_figure",
    "from_logits_figure",
    "label_smoothing_figure",
    "learning_rate_sweep_figure",
    "log_softmax_stability_figure",
    "logit_gradient_figure",
    "loss_by_label_figure",
    "new_figure",
    "optimism_figure",
    "paired_differences_figure",
    "pos_weight_figure",
    "predicted_distributions_figure",
    "reliability_diagram_figure",
    "sample_estimate_figure",
    "scoring_rules_figure",
    "sigmoid_figure",
    "softmax_training_figure",
    "softmax_twice_figure",
    "styled",
    "surprisal_figure",
    "temperature_figure",
    "training_curves_figure",
    "true_class_loss_figure",
]
