"""Checks the outputs of the bias-relu test artifact with numpy.

usage: check_bias_relu.py X.npy Y.npy H.npy   prints whether both match exactly
"""
import sys

import numpy as np

x, y, h = (np.load(path) for path in sys.argv[1:4])
bias = np.array([0.5, -1.0, 2.0, -0.25, 0.0, 1.0], dtype=np.float32).reshape(2, 3)
expected_h = x + bias
assert y.shape == x.shape and h.shape == (x.size,), (x.shape, y.shape, h.shape)
ok = np.array_equal(h, expected_h.reshape(-1)) and np.array_equal(y, np.maximum(expected_h, 0))
print("bias-relu outputs", "ok" if ok else "WRONG")
