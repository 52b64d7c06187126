"""Summarises the dynamic convolutions of a graph-level dyconv module (text).

usage: check_raised.py MODULE.mlir

Prints one line:
  odconv N, kw_assemble N (W warehouses), dynamic_conv2d N, computed-weight conv2d N, input batch B
where W counts the distinct warehouse values the kw_assemble ops read, a computed-weight conv2d is a `dyconv.conv2d` whose weight operand is not
an `arith.constant` (a batch-folded dynamic convolution that was not raised),
and B is the leading dimension of the function's first argument (`?` when the
batch is free).
"""
import re
import sys

text = open(sys.argv[1]).read()
constants = set(re.findall(r"(%[\w.#]+) = arith\.constant", text))
computed = 0
for operands in re.findall(r"= dyconv\.conv2d (%[\w.#]+), (%[\w.#]+)", text):
    if operands[1] not in constants:
        computed += 1
batch = re.search(r"func\.func @[\w.$-]+\(%[\w.#]+: tensor<(\?|\d+)x", text)
count = lambda op: len(re.findall(r"= dyconv\." + op + r" ", text))
warehouses = set(re.findall(r"= dyconv\.kw_assemble %[\w.#]+, (%[\w.#]+)", text))
print(f"odconv {count('odconv')}, kw_assemble {count('kw_assemble')} ({len(warehouses)} warehouses), "
      f"dynamic_conv2d {count('dynamic_conv2d')}, computed-weight conv2d {computed}, "
      f"input batch {batch.group(1) if batch else 'none'}")
