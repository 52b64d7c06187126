"""A compiled dyconv model served over HTTP by Ray Serve, with request batching.

Each request is one sample: its body is an ``.npy`` array with the model's
input shape at batch 1 (``np.save`` of e.g. a ``[1, 1, 8, 8]`` image). The
deployment validates it, then ``@serve.batch`` gathers the requests that
arrive together into one batch, which dyconv runs at once through the
artifact's free batch dimension; each answer is an ``.npz`` with the
request's rows of every output, by output name.

    import dyconv_serve
    from ray import serve
    serve.run(dyconv_serve.app("model.dyc"), route_prefix="/")
    # then POST .npy bodies to http://127.0.0.1:8000/

``load_test.py`` beside this file starts it on a local Ray instance and
checks it against direct runs. README.md says how the same deployment scales
to more replicas and to a multi-node Ray cluster.
"""

import asyncio
import io

import numpy as np
from ray import serve
from starlette.requests import Request
from starlette.responses import Response

import dyconv


@serve.deployment
class DyconvModel:
    """One replica: the model opened once and shared by its requests."""

    def __init__(self, model_path: str, threads: int = 0, max_batch_size: int = 32,
                 batch_wait_timeout_s: float = 0.002):
        self.model = dyconv.Model(model_path, num_threads=threads or None)
        if len(self.model.inputs) != 1:
            raise ValueError(f"{model_path}: this deployment serves models with one input")
        if self.model.fixed_batch:  # compiled for one batch: fill it
            max_batch_size = self.model.fixed_batch
        self.sample_shape = self.model.inputs[0].shape_at(1)
        self.rows_per_sample = [info.per_sample[0] for info in self.model.outputs]
        self.predict.set_max_batch_size(max_batch_size)
        self.predict.set_batch_wait_timeout_s(batch_wait_timeout_s)

    @serve.batch(max_batch_size=32, batch_wait_timeout_s=0.002)
    async def predict(self, samples: list) -> list:
        """Runs the samples of concurrent requests as one batch."""
        batch = np.concatenate(samples)
        fixed = self.model.fixed_batch
        if fixed and len(samples) < fixed:  # an artifact compiled for one batch only
            padding = np.zeros((fixed - len(samples),) + batch.shape[1:], np.float32)
            batch = np.concatenate([batch, padding])
        # dyconv releases the GIL: the event loop keeps taking requests.
        outputs = await asyncio.get_running_loop().run_in_executor(None, self.model.run, batch)
        return [[output[i * rows:(i + 1) * rows] for output, rows in zip(outputs, self.rows_per_sample)]
                for i in range(len(samples))]

    async def __call__(self, request: Request) -> Response:
        try:
            sample = np.load(io.BytesIO(await request.body()), allow_pickle=False)
        except ValueError as error:
            return Response(f"the body is not an .npy array: {error}\n", status_code=400)
        if sample.shape != self.sample_shape or sample.dtype != np.float32:
            return Response(f"expected a float32 array of shape {list(self.sample_shape)}, got "
                            f"{sample.dtype} {list(sample.shape)}\n", status_code=400)
        outputs = await self.predict(sample)
        body = io.BytesIO()
        np.savez(body, **{info.name: output for info, output in zip(self.model.outputs, outputs)})
        return Response(body.getvalue(), media_type="application/octet-stream")


def app(model_path: str, replicas: int = 1, threads: int = 0, max_batch_size: int = 32):
    """The application: ``replicas`` copies of the deployment (one process each),
    each reserving ``threads`` CPUs of its node when ``threads`` is set."""
    actor_options = {"num_cpus": threads} if threads else {}
    return DyconvModel.options(num_replicas=replicas, ray_actor_options=actor_options).bind(
        model_path, threads=threads, max_batch_size=max_batch_size)
