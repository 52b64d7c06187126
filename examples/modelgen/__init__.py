"""Helpers of examples/generate.py: graph builder, KernelWarehouse arithmetic,
model architectures, a PyTorch reference interpreter of the JSON graphs and a
structural validator.  Tooling only; the compiler itself is C++."""
