"""The ``Model`` class: an opened ``.dyc`` artifact run on NumPy arrays."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from ._dyconv import InvalidArgumentError, OpenedModel

ArrayLike = Union[np.ndarray, Sequence]
Inputs = Union[ArrayLike, Sequence[ArrayLike], Mapping[str, ArrayLike]]


@dataclass(frozen=True)
class TensorInfo:
    """A model input or output: its name and shape, ``None`` where the extent
    follows the batch size (see ``shape_at``)."""

    name: str
    shape: Tuple[Optional[int], ...]
    #: The extent of each dimension at batch 1 (a batch dimension may hold
    #: several rows per sample).
    per_sample: Tuple[int, ...]

    def shape_at(self, batch: int) -> Tuple[int, ...]:
        """The exact shape at ``batch`` samples."""
        return tuple(
            extent * batch if fixed is None else fixed
            for fixed, extent in zip(self.shape, self.per_sample)
        )


@dataclass(frozen=True)
class StepTime:
    """One plan step while profiling: the kernel it calls and its total time."""

    kernel: str
    seconds: float


def _describe(name: str, at_one: Sequence[int], at_two: Sequence[int]) -> TensorInfo:
    shape = tuple(None if a != b else a for a, b in zip(at_one, at_two))
    return TensorInfo(name, shape, tuple(at_one))


class Model:
    """An opened ``.dyc`` artifact.

    ``num_threads`` sets the threads of the model's kernels (default: the
    runtime's, ``HL_NUM_THREADS`` or all cores).
    """

    def __init__(self, path: Union[str, os.PathLike], num_threads: Optional[int] = None):
        self.path = os.fspath(path)
        self._model = OpenedModel(self.path)
        self.inputs = tuple(
            _describe(self._model.input_name(i), self._model.input_shape(i, 1),
                      self._model.input_shape(i, 2))
            for i in range(self._model.num_inputs()))
        self.outputs = tuple(
            _describe(self._model.output_name(i), self._model.output_shape(i, 1),
                      self._model.output_shape(i, 2))
            for i in range(self._model.num_outputs()))
        if num_threads is not None:
            self.num_threads = num_threads

    # -- batch rules ---------------------------------------------------------

    @property
    def fixed_batch(self) -> Optional[int]:
        """The only batch size the artifact accepts, or ``None`` for any >= 1."""
        return self._model.fixed_batch() or None

    def batch_of(self, inputs: Inputs) -> int:
        """The batch size of ``inputs``, checked as ``run`` checks them."""
        return self._model.infer_batch(self._arrays(inputs))

    # -- running ---------------------------------------------------------------

    def run(self, inputs: Inputs, outputs: Optional[Sequence[np.ndarray]] = None) -> list:
        """Runs the model and returns its outputs as a list of arrays.

        ``inputs`` is one array (a model with one input), a sequence of arrays
        in the model's input order, or a mapping from input names to arrays.
        Float32 C-contiguous arrays are read in place, others are converted
        first. ``outputs``, if given, are float32 C-contiguous arrays of the
        right shapes that receive the results (and are returned).
        """
        arrays = self._arrays(inputs)
        batch = self._model.infer_batch(arrays)
        if outputs is None:
            outputs = [np.empty(info.shape_at(batch), np.float32) for info in self.outputs]
        else:
            outputs = list(outputs)
            for index, array in enumerate(outputs):
                if not (isinstance(array, np.ndarray) and array.dtype == np.float32
                        and array.flags.c_contiguous and array.flags.writeable):
                    raise InvalidArgumentError(
                        f"output {index} must be a writable float32 C-contiguous "
                        "numpy array")
        self._model.run(arrays, outputs)
        return outputs

    def __call__(self, *inputs: ArrayLike):
        """``model(x)``: the first output of a run on the given inputs."""
        return self.run(list(inputs))[0]

    def _arrays(self, inputs: Inputs) -> list:
        if isinstance(inputs, Mapping):
            names = [info.name for info in self.inputs]
            unknown = sorted(set(inputs) - set(names))
            if unknown:
                raise InvalidArgumentError(
                    f"no model input named {', '.join(map(repr, unknown))} "
                    f"(inputs: {', '.join(names)})")
            missing = [name for name in names if name not in inputs]
            if missing:
                raise InvalidArgumentError(f"missing input {', '.join(map(repr, missing))}")
            inputs = [inputs[name] for name in names]
        elif isinstance(inputs, np.ndarray):
            inputs = [inputs]
        return [np.ascontiguousarray(array, dtype=np.float32) for array in inputs]

    # -- threads and profiling ----------------------------------------------

    @property
    def num_threads(self) -> int:
        """The number of threads the model's kernels use."""
        return self._model.num_threads()

    @num_threads.setter
    def num_threads(self, count: int) -> None:
        self._model.set_num_threads(count)

    def set_profiling(self, enabled: bool) -> None:
        """Starts (clearing the totals) or stops timing every plan step."""
        self._model.set_profiling(enabled)

    def step_times(self) -> list:
        """Each plan step's kernel and total time over the profiled runs."""
        return [StepTime(self._model.step_kernel(step), self._model.step_seconds(step))
                for step in range(self._model.num_steps())]

    # -- lifetime --------------------------------------------------------------

    def close(self) -> None:
        """Releases the model (a run in progress on another thread finishes
        first). Later calls raise ``InvalidArgumentError``."""
        self._model.close()

    def __enter__(self) -> "Model":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        def dims(info):
            return ", ".join(str(fixed) if fixed is not None else
                             "N" if extent == 1 else f"{extent}N"
                             for fixed, extent in zip(info.shape, info.per_sample))

        def shapes(infos):
            return ", ".join(f"{info.name}: [{dims(info)}]" for info in infos)

        return f"<dyconv.Model {self.path!r} inputs ({shapes(self.inputs)}) " \
               f"outputs ({shapes(self.outputs)})>"
