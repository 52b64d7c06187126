"""usage: raise_onnx_layers.py

Prints a function in the form the ONNX importer gives an export of the
authors' PyTorch code at batch 2: an ODConv layer (all four heads, groups 2,
stride 2, temperature 1.5, the attention BatchNorm left as a batch_norm), a
clip, a KernelWarehouse layer with 1x1 cells and one with whole-kernel cells
(BatchNorm attention, temperature 0). Random weights, seeded."""
import numpy as np

B = 2
rng = np.random.default_rng(7)
lines = []
names = iter(range(1 << 30))


def ty(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + "f32>"


class Value:
    def __init__(self, shape):
        self.name = f"%v{next(names)}"
        self.shape = list(shape)


def const(array):
    array = np.asarray(array, dtype="<f4")
    value = Value(array.shape)
    lines.append(f'{value.name} = arith.constant dense<"0x{array.tobytes().hex().upper()}"> : {ty(value.shape)}')
    return value


def rand(*shape, low=-1.0, high=1.0):
    return const(rng.uniform(low, high, shape))


def op(name, operands, shape, attrs=""):
    value = Value(shape)
    args = ", ".join(v.name for v in operands)
    types = ", ".join(ty(v.shape) for v in operands)
    attrs = f" {{{attrs}}}" if attrs else ""
    lines.append(f"{value.name} = dyconv.{name} {args}{attrs} : ({types}) -> {ty(shape)}")
    return value


def unary(name, x, attrs=""):
    value = Value(x.shape)
    attrs = f" {{{attrs}}}" if attrs else ""
    lines.append(f"{value.name} = dyconv.{name} {x.name}{attrs} : {ty(x.shape)}")
    return value


def arr(*values):
    return "array<i64: " + ", ".join(str(v) for v in values) + ">"


def reshape(x, *target):
    shape = list(target)
    if -1 in shape:
        known = int(np.prod([d for d in shape if d != -1]))
        shape[shape.index(-1)] = int(np.prod(x.shape)) // known
    return op("reshape", [x], shape, f"shape = {arr(*target)}")


def fc_conv(x, out, bias=True):
    operands = [x, rand(out, x.shape[1], 1, 1)] + ([rand(out)] if bias else [])
    return op("conv2d", operands, [x.shape[0], out, 1, 1])


def odconv(x, cout, k, kernels, groups, stride, temperature):
    cin, height, width = x.shape[1:]
    hidden = 4
    temp = const(np.float32(temperature))
    pooled = op("global_avg_pool", [x], [B, cin, 1, 1])
    fc = fc_conv(pooled, hidden, bias=False)
    norm = op("batch_norm", [fc, rand(hidden, low=0.5, high=1.5), rand(hidden), rand(hidden),
                             rand(hidden, low=0.5, high=1.5)], fc.shape)
    h = unary("relu", norm)

    def head(out, view, softmax=False):
        logits = reshape(fc_conv(h, out), *view)
        logits = op("div", [logits, temp], logits.shape)
        return unary("softmax", logits, "axis = 1 : i64") if softmax else unary("sigmoid", logits)

    ca = head(cin, [B, -1, 1, 1])
    fa = head(cout, [B, -1, 1, 1])
    sa = head(k * k, [B, 1, 1, 1, k, k])
    ka = head(kernels, [B, -1, 1, 1, 1, 1], softmax=True)
    scaled = reshape(op("mul", [x, ca], x.shape), 1, -1, height, width)
    bank = rand(1, kernels, cout, cin // groups, k, k)
    product = op("mul", [op("mul", [sa, ka], [B, kernels, 1, 1, k, k]), bank],
                 [B, kernels, cout, cin // groups, k, k])
    summed = op("reduce_sum", [product], [B, cout, cin // groups, k, k],
                f"axes = {arr(1)}, keepdims = false")
    kernel = reshape(summed, -1, cin // groups, k, k)
    pad = (k - 1) // 2
    size = lambda n: (n + 2 * pad - k) // stride + 1
    y = op("conv2d", [scaled, kernel], [1, B * cout, size(height), size(width)],
           f"groups = {groups * B} : i64, padding = {arr(pad, pad, pad, pad)}, stride = {arr(stride, stride)}")
    return op("mul", [reshape(y, B, cout, size(height), size(width)), fa], [B, cout, size(height), size(width)])


def kernel_warehouse(x, cout, k, co, ci, cells, point_cells):
    cin, height, width = x.shape[1:]
    hidden = 4
    gs, ck = (k * k, 1) if point_cells else (1, k)
    go, gi = cout // co, cin // ci
    n = gs * go * gi
    mean = op("reduce_mean", [reshape(x, B, cin, -1)], [B, cin, 1], f"axes = {arr(2)}, keepdims = true")
    z = op("linear", [reshape(mean, B, cin), rand(hidden, cin)], [B, hidden])
    z = op("batch_norm", [z, rand(hidden, low=0.5, high=1.5), rand(hidden), rand(hidden),
                          rand(hidden, low=0.5, high=1.5)], z.shape)
    logits = op("linear", [unary("relu", z), rand(n * (cells + 1), hidden), rand(n * (cells + 1))],
                [B, n * (cells + 1)])
    rows = reshape(logits, -1, cells + 1)
    total = op("reduce_sum", [unary("abs", rows)], [B * n], f"axes = {arr(1)}, keepdims = false")
    denominator = op("add", [reshape(total, -1, 1), const(np.float32(1e-3))], [B * n, 1])
    caf = reshape(op("div", [rows, denominator], rows.shape), -1, n * (cells + 1))
    mixed = op("mul", [caf, const(np.float32(1.0))], caf.shape)
    mixed = op("add", [mixed, const(np.zeros((1, n * (cells + 1))))], caf.shape)
    coefficients = op("slice", [reshape(mixed, -1, cells + 1)], [B * n, cells],
                      f"axes = {arr(1)}, ends = {arr(-1)}, starts = {arr(0)}, steps = {arr(1)}")
    assembled = op("linear", [coefficients, rand(co * ci * ck * ck, cells)], [B * n, co * ci * ck * ck])
    layout = reshape(assembled, B, gs, go, gi, co, ci, ck, ck)
    permuted = op("transpose", [layout], [B, go, co, gi, ci, gs, ck, ck], f"perm = {arr(0, 2, 4, 3, 5, 1, 6, 7)}")
    kernel = reshape(permuted, -1, cin, k, k)
    pad = (k - 1) // 2
    y = op("conv2d", [reshape(x, 1, -1, height, width), kernel], [1, B * cout, height, width],
           f"groups = {B} : i64, padding = {arr(pad, pad, pad, pad)}")
    return reshape(y, B, cout, height, width)


x = Value([B, 4, 5, 5])
x.name = "%x"
y = odconv(x, cout=6, k=3, kernels=3, groups=2, stride=2, temperature=1.5)
y = unary("clip", y, "max = 6.0 : f32, min = 0.0 : f32")
y = kernel_warehouse(y, cout=4, k=3, co=2, ci=3, cells=5, point_cells=True)
y = kernel_warehouse(y, cout=4, k=3, co=2, ci=2, cells=3, point_cells=False)
print(f"func.func @layers(%x: {ty(x.shape)}) -> {ty(y.shape)} attributes {{dyconv.export_batch = {B} : i64}} {{")
for line in lines:
    print("  " + line)
print(f"  return {y.name} : {ty(y.shape)}")
print("}")
