"""Run compiled dyconv models (``.dyc`` artifacts) on NumPy arrays.

    import dyconv, numpy as np
    model = dyconv.Model("model.dyc")
    print(model.inputs, model.outputs)       # names and shapes (None: the batch)
    (logits,) = model.run(np.zeros(model.inputs[0].shape_at(4), np.float32))

A ``Model`` is the runtime library's ``dyconv_model`` (docs/runtime.md): the
artifact's kernels, plan and weights loaded once. It may be shared by any
number of threads; each concurrent run gets its own working memory, and the
GIL is released while a model runs. Failures raise ``dyconv.Error`` (or one
of its subclasses) with the runtime's message.
"""

from ._dyconv import (
    Error,
    InvalidArgumentError,
    KernelError,
    OutOfMemoryError,
    __version__,
)
from .model import Model, StepTime, TensorInfo

__all__ = [
    "Error",
    "InvalidArgumentError",
    "KernelError",
    "Model",
    "OutOfMemoryError",
    "StepTime",
    "TensorInfo",
    "__version__",
]
