"""Batch-norm calibration of a generated model.

Random Kaiming-like weights plus default statistics (mean 0, var 1) let the
activations drift by orders of magnitude over 50+ layers, and the ODConv
attentions (sigmoids around 0.5) shrink every ODConv output further.  So the
generator runs the graph once (modelgen/reference.py) on a fixed random batch
and sets every batch norm's running statistics from what it actually sees,
then jitters them mildly:

    running_mean = mean + 0.1 * std * N(0, 1)
    running_var  = var * U(0.5, 1.5)

(per channel, over N, H, W).  The attention norms of ODConv / KW (input
[B, A], nearly the same for every sample of a random batch) get
running_mean = 0.1 * s * N(0, 1) and running_var = s^2 * U(0.5, 1.5), with s
the RMS of their input, so that they keep the input's signal instead of
cancelling it.  Values are rounded to 4 significant digits, so that last-bit
differences between machines (thread counts, SIMD width) almost never change
the written bytes."""

import numpy as np
import torch


def round_sig(values, digits=4):
    values = np.asarray(values, dtype=np.float64)
    out = np.zeros_like(values)
    nz = values != 0
    exponent = np.floor(np.log10(np.abs(values[nz])))
    scale = 10.0 ** (exponent - (digits - 1))
    out[nz] = np.round(values[nz] / scale) * scale
    return out.astype(np.float32)


class Calibrator:
    def __init__(self, weights, seed):
        self.weights = weights
        self.rng = np.random.RandomState(seed)
        self.done = set()

    def batch_norm(self, prefix, x):
        if prefix in self.done:
            return
        self.done.add(prefix)
        xd = x.double()
        dims = [0] + list(range(2, xd.dim()))
        mean = xd.mean(dim=dims).numpy()
        var = xd.var(dim=dims, unbiased=False).numpy()
        var = np.maximum(var, 1e-2 * max(var.mean(), 1e-12))
        c = mean.shape[0]
        jitter_mean = self.rng.standard_normal(c)
        jitter_var = self.rng.uniform(0.5, 1.5, c)
        self.weights[prefix + ".running_mean"] = round_sig(mean + 0.1 * np.sqrt(var) * jitter_mean)
        self.weights[prefix + ".running_var"] = round_sig(var * jitter_var)

    def attention_norm(self, prefix, z):
        if prefix in self.done:
            return
        self.done.add(prefix)
        zd = z.double()
        s = float(torch.sqrt((zd * zd).mean()).item())
        s = max(s, 1e-6)
        c = zd.shape[1]
        jitter_mean = self.rng.standard_normal(c)
        jitter_var = self.rng.uniform(0.5, 1.5, c)
        self.weights[prefix + ".running_mean"] = round_sig(0.1 * s * jitter_mean)
        self.weights[prefix + ".running_var"] = round_sig(s * s * jitter_var)
