"""A small PyTorch interpreter of dyconv JSON graphs, written from
docs/model-format.md and the operator specification (shared/spec/operators.md) (ODConv §1, KW §2,
DDF §3).  It serves three purposes: calibrating the batch-norm statistics of
the generated models, checking that their outputs are finite and
input-dependent, and producing reference outputs (float64) for the C++ side.
It is checked against the golden layer files by modelgen/check_golden.py."""

import math

import torch
import torch.nn.functional as F


def _pair(v):
    return list(v) if isinstance(v, (list, tuple)) else [v, v]


def _padding(attrs):
    p = attrs.get("padding", [0, 0])
    if isinstance(p, int):
        p = [p, p]
    if len(p) == 2:
        p = [p[0], p[1], p[0], p[1]]
    return p  # t, l, b, r


def _depthwise(x, w, b, pads, stride, dilation):
    """Depthwise conv (groups = Cin, weight [Cin*m, 1, kh, kw]) as a sum of
    shifted, scaled copies: torch's CPU float64 grouped conv is very slow."""
    t, l, bo, r = pads
    B, C, H, W = x.shape
    cout, _, kh, kw = w.shape
    m = cout // C
    xp = F.pad(x, [l, r, t, bo])
    if m != 1:
        xp = xp.repeat_interleave(m, dim=1)
    ho = (H + t + bo - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (W + l + r - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    y = None
    for ky in range(kh):
        for kx in range(kw):
            y0, x0 = ky * dilation[0], kx * dilation[1]
            tap = xp[:, :, y0:y0 + (ho - 1) * stride[0] + 1:stride[0],
                     x0:x0 + (wo - 1) * stride[1] + 1:stride[1]]
            term = tap * w[:, 0, ky, kx].view(1, cout, 1, 1)
            y = term if y is None else y + term
    if b is not None:
        y = y + b.view(1, cout, 1, 1)
    return y


def _conv(x, w, b, attrs, groups=None):
    t, l, bo, r = _padding(attrs)
    stride = _pair(attrs.get("stride", [1, 1]))
    dilation = _pair(attrs.get("dilation", [1, 1]))
    g = attrs.get("groups", 1) if groups is None else groups
    if g > 1 and g == x.shape[1] and w.shape[1] == 1:
        return _depthwise(x, w, b, (t, l, bo, r), stride, dilation)
    if t == bo and l == r:
        return F.conv2d(x, w, b, stride, [t, l], dilation, g)
    return F.conv2d(F.pad(x, [l, r, t, bo]), w, b, stride, 0, dilation, g)


def _per_sample_conv(x, wb, attrs):
    """y[b] = conv2d(x[b], wb[b]): the batch-folded grouped conv, per sample."""
    return torch.cat([_conv(x[b:b + 1], wb[b], None, attrs) for b in range(x.shape[0])], dim=0)


def _mat(w):
    return w.reshape(w.shape[0], w.shape[1])


def _bn_eval(x, weight, bias, mean, var, eps, channel_dim=1):
    shape = [1] * x.dim()
    shape[channel_dim] = -1
    return ((x - mean.view(shape)) / torch.sqrt(var.view(shape) + eps)) * weight.view(shape) + bias.view(shape)


# ----------------------------------------------------------------- dynamic ops
def odconv(x, P, attrs, calib=None, prefix=""):
    """ODConv2d forward (spec §1.2-1.5)."""
    weight = P("weight")
    K, cout, cin_g, k, _ = weight.shape
    B, cin = x.shape[:2]
    groups = attrs.get("groups", 1)
    T = attrs.get("temperature", 1.0)
    eps = attrs.get("bn_epsilon", 1e-5)
    a = x.mean(dim=(2, 3))
    z = a @ _mat(P("attention.fc.weight")).t()
    if calib is not None:
        calib.attention_norm(_join(prefix, "attention.bn"), z)
    h = torch.relu(_bn_eval(z, P("attention.bn.weight"), P("attention.bn.bias"),
                            P("attention.bn.running_mean"), P("attention.bn.running_var"), eps))

    def head(name):
        if not P.has("attention.%s.weight" % name):
            return None
        return (h @ _mat(P("attention.%s.weight" % name)).t() + P("attention.%s.bias" % name)) / T

    ch = torch.sigmoid(head("channel_fc"))
    fil = head("filter_fc")
    fil = None if fil is None else torch.sigmoid(fil)
    sp = head("spatial_fc")
    sp = None if sp is None else torch.sigmoid(sp)
    ker = head("kernel_fc")
    ker = None if ker is None else torch.softmax(ker, dim=1)
    xs = x * ch[:, :, None, None]
    if ker is None and sp is None:  # pw1x path and any K=1, k=1 layer
        y = _conv(xs, weight[0], None, attrs)
    else:
        if ker is None:
            wb = weight[0].unsqueeze(0).expand(B, -1, -1, -1, -1)
        else:
            wb = (ker[:, :, None, None, None, None] * weight.unsqueeze(0)).sum(dim=1)
        if sp is not None:
            wb = wb * sp.view(B, 1, 1, k, k)
        # The authors fold the batch into the groups (groups = g*B); a
        # per-sample conv is the same computation and much faster on CPU.
        y = _per_sample_conv(xs, wb.reshape(B, cout, cin_g, k, k), attrs)
    if fil is not None:
        y = y * fil[:, :, None, None]
    return y


def kw_attention(x, P, M, n, start, eps=1e-5, calib=None, prefix=""):
    """CAF coefficients [B*n, M] (spec §2.4), plain or nonlocal-basis mode."""
    B = x.shape[0]
    a = x.reshape(B, x.shape[1], -1).mean(dim=2)
    z = a @ _mat(P("attention.fc1.weight")).t()
    if P.has("attention.fc1.bias"):
        z = z + P("attention.fc1.bias")
    if P.has("attention.norm1.running_mean"):
        if calib is not None:
            calib.attention_norm(_join(prefix, "attention.norm1"), z)
        z = _bn_eval(z, P("attention.norm1.weight"), P("attention.norm1.bias"),
                     P("attention.norm1.running_mean"), P("attention.norm1.running_var"), eps)
    else:
        z = F.layer_norm(z, z.shape[-1:], P("attention.norm1.weight"), P("attention.norm1.bias"), eps)
    h = torch.relu(z)
    logits = h @ _mat(P("attention.fc2.weight")).t()
    if P.has("attention.fc3.weight"):
        W3 = _mat(P("attention.fc3.weight"))  # [M-L, Nb]
        Nb = W3.shape[1]
        L = M - W3.shape[0]
        r = logits.reshape(B * n, L + Nb + 1)
        local, nb, zero = r[:, :L], r[:, L:L + Nb], r[:, L + Nb:]
        nonloc = nb @ W3.t()
        row = torch.cat([nonloc[:, :start], local, nonloc[:, start:], zero], dim=1)
        logits = row.reshape(B, n * (M + 1)) + P("attention.basis_bias")
    else:
        logits = logits + P("attention.fc2.bias")
    r = logits.reshape(B * n, M + 1)
    r = r / (r.abs().sum(dim=1, keepdim=True) + 1e-3)
    return r[:, :M]


def kwconv(x, P, attrs, warehouse, calib=None, prefix=""):
    """KWConv2d forward (spec §2.5) with 1x1 cells."""
    M, co, ci, ckh, ckw = warehouse.shape
    assert ckh == 1 and ckw == 1
    B, cin, H, W = x.shape
    groups = attrs.get("groups", 1)
    cout = attrs["out_channels"]
    kh, kw = _pair(attrs["kernel_size"])
    go, gi, gs = cout // co, cin // groups // ci, kh * kw
    n = gs * go * gi
    alpha = kw_attention(x, P, M, n, attrs.get("start_cell", 0), attrs.get("norm_epsilon", 1e-5),
                         calib, prefix)
    cells = alpha @ warehouse.reshape(M, -1)
    wb = cells.reshape(B, gs, go, gi, co, ci, 1, 1).permute(0, 2, 4, 3, 5, 1, 6, 7)
    wb = wb.reshape(B * cout, cin // groups, kh, kw)
    y = _per_sample_conv(x, wb.reshape(B, cout, cin // groups, kh, kw), attrs)
    if P.has("bias"):
        y = y + P("bias")[None, :, None, None]
    return y


def ddf(x, cf, sf, k, stride=1, dilation=1, combine="mul"):
    """The ddf op (spec §3.1) by unfold: taps at y*s + (i-r)*d, zero padding."""
    B, C, H, W = x.shape
    r = (k - 1) // 2
    Ho, Wo = H // stride, W // stride
    cols = F.unfold(x, k, dilation=dilation, padding=r * dilation, stride=stride)
    cols = cols.view(B, C, k * k, -1)
    cols = cols.view(B, C, k * k, (H + stride - 1) // stride, (W + stride - 1) // stride)[:, :, :, :Ho, :Wo]
    s = sf.reshape(B, 1, k * k, Ho, Wo)
    c = cf.reshape(B, C, k * k, 1, 1)
    filt = s * c if combine == "mul" else s + c
    return (cols * filt).sum(dim=2)


def _filter_norm(v, dim, eps=1e-10):
    v = v - v.mean(dim=dim, keepdim=True)
    return v / (v.std(dim=dim, keepdim=True) + eps)


def ddfpack(x, P, attrs):
    """DDFPack forward (spec §3.3)."""
    k = attrs.get("kernel_size", 3)
    s = attrs.get("stride", 1)
    d = attrs.get("dilation", 1)
    head = attrs.get("head", 1)
    combine = attrs.get("combine", "mul")
    gain = math.sqrt(2.0) if attrs.get("nonlinearity", "relu") == "relu" else 1.0
    B, C, H, W = x.shape
    sp = F.conv2d(x, P("spatial_branch.0.weight"), P("spatial_branch.0.bias"), s)
    Ho, Wo = sp.shape[2:]
    sp = _filter_norm(sp.reshape(B * head, k * k, Ho, Wo), 1) * (gain / k)
    ch = x.mean(dim=(2, 3))
    ch = torch.relu(ch @ _mat(P("channel_branch.1.weight")).t() + P("channel_branch.1.bias"))
    ch = ch @ _mat(P("channel_branch.3.weight")).t() + P("channel_branch.3.bias")
    ch = _filter_norm(ch.reshape(B, C, k * k), 2).reshape(B, C * k * k) * P("channel_branch.4.std")
    cf = ch.reshape(B * head, C // head, k, k)
    y = ddf(x.reshape(B * head, C // head, H, W), cf, sp, k, s, d, combine)
    return y.reshape(B, C, H // s, W // s)


# ------------------------------------------------------------------ interpreter
def _join(prefix, suffix):
    return suffix if not prefix else prefix + "." + suffix


class _Params:
    def __init__(self, fetch, names, prefix, used):
        self.fetch, self.names, self.prefix, self.used = fetch, names, prefix, used

    def has(self, suffix):
        return _join(self.prefix, suffix) in self.names

    def __call__(self, suffix):
        name = _join(self.prefix, suffix)
        self.used.add(name)
        return self.fetch(name)


def topological(nodes, graph_inputs):
    defined = set(graph_inputs)
    pending = list(nodes)
    order = []
    while pending:
        ready = [n for n in pending if all(v in defined for v in n["inputs"])]
        if not ready:
            raise ValueError("cycle or undefined input among %s" % [n["outputs"][0] for n in pending])
        for n in ready:
            order.append(n)
            defined.update(n["outputs"])
        pending = [n for n in pending if n not in ready]
    return order


def run(model, weights, inputs, dtype=torch.float32, calib=None, keep=False):
    """Runs `model` (the parsed JSON) with `weights` ({name: numpy array},
    read lazily so that `calib` can rewrite statistics before their use).
    `inputs`: {name: numpy array or tensor}.  Returns {output name: tensor}
    (every value when keep=True)."""
    names = set(weights)
    used = set()
    cache = {}

    def fetch(name):
        if calib is not None or name not in cache:
            cache[name] = torch.as_tensor(weights[name]).to(dtype)
        return cache[name]

    env = {k: torch.as_tensor(v).to(dtype) for k, v in inputs.items()}
    with torch.no_grad():
        for node in topological(model["nodes"], env.keys()):
            op = node["op"]
            attrs = node.get("attributes", {})
            prefix = node.get("prefix", "")
            P = _Params(fetch, names, prefix, used)
            xs = [env[v] for v in node["inputs"]]
            x = xs[0]
            if op == "conv2d":
                y = _conv(x, P("weight"), P("bias") if P.has("bias") else None, attrs)
            elif op == "batch_norm":
                if calib is not None:
                    calib.batch_norm(prefix, x)
                y = _bn_eval(x, P("weight"), P("bias"), P("running_mean"), P("running_var"),
                             attrs.get("epsilon", 1e-5))
            elif op == "linear":
                y = x @ P("weight").t()
                if P.has("bias"):
                    y = y + P("bias")
            elif op == "relu":
                y = torch.relu(x)
            elif op == "relu6":
                y = torch.clamp(x, 0.0, 6.0)
            elif op == "sigmoid":
                y = torch.sigmoid(x)
            elif op == "clip":
                y = torch.clamp(x, attrs["min"], attrs["max"])
            elif op == "add":
                y = xs[0] + xs[1]
            elif op == "mul":
                y = xs[0] * xs[1]
            elif op == "softmax":
                y = torch.softmax(x, dim=attrs["axis"])
            elif op == "max_pool2d":
                t, l, b, r = _padding(attrs)
                assert t == b and l == r
                kk = _pair(attrs["kernel_size"])
                y = F.max_pool2d(x, kk, _pair(attrs.get("stride", kk)), [t, l],
                                 _pair(attrs.get("dilation", [1, 1])), attrs.get("ceil_mode", False))
            elif op == "avg_pool2d":
                t, l, b, r = _padding(attrs)
                assert t == b and l == r
                kk = _pair(attrs["kernel_size"])
                y = F.avg_pool2d(x, kk, _pair(attrs.get("stride", kk)), [t, l],
                                 attrs.get("ceil_mode", False), attrs.get("count_include_pad", False))
            elif op == "global_avg_pool":
                y = x.mean(dim=(2, 3), keepdim=True)
            elif op == "flatten":
                y = torch.flatten(x, attrs.get("axis", 1))
            elif op == "reshape":
                y = x.reshape([x.shape[i] if s == 0 else s for i, s in enumerate(attrs["shape"])])
            elif op == "concat":
                y = torch.cat(xs, dim=attrs["axis"])
            elif op == "ODConv":
                y = odconv(x, P, attrs, calib, prefix)
            elif op == "KWConv":
                used.add(attrs["warehouse"])
                y = kwconv(x, P, attrs, fetch(attrs["warehouse"]), calib, prefix)
            elif op == "DDF":
                y = ddf(xs[0], xs[1], xs[2], attrs["kernel_size"], attrs.get("stride", 1),
                        attrs.get("dilation", 1), attrs["combine"])
            elif op == "DDFPack":
                y = ddfpack(x, P, attrs)
            else:
                raise ValueError("unsupported op %s" % op)
            env[node["outputs"][0]] = y
    out = env if keep else {name: env[name] for name in model["outputs"]}
    return out, used
