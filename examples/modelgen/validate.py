"""Structural validator of a dyconv model (JSON graph + safetensors), written
from docs/model-format.md independently of the generator: every node input
is defined, outputs are unique, the graph is acyclic, attributes are known,
every parameter is found under the documented state_dict name with a shape
consistent with the inferred activation shapes, and every weight is used
(a KW warehouse by one or more KWConv nodes, anything else by exactly one
node).  Optionally also validates against docs/model-format.schema.json.

    /usr/bin/python3 examples/modelgen/validate.py MODEL.json [...]
"""

import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from modelgen import safetensors  # noqa: E402

TOP_KEYS = {"format", "version", "name", "weights", "ignore_weights", "description", "inputs",
            "outputs", "tensors", "nodes"}
NODE_KEYS = {"op", "name", "inputs", "outputs", "prefix", "attributes"}
CONV = {"stride", "padding", "dilation", "groups"}
ATTRIBUTES = {
    "conv2d": CONV, "batch_norm": {"epsilon"}, "linear": set(), "layer_norm": {"axis", "epsilon"},
    "relu": set(), "sigmoid": set(), "relu6": set(), "clip": {"min", "max"}, "add": set(),
    "mul": set(), "softmax": {"axis"},
    "max_pool2d": {"kernel_size", "stride", "padding", "dilation", "ceil_mode"},
    "avg_pool2d": {"kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"},
    "global_avg_pool": set(), "flatten": {"axis"}, "reshape": {"shape"}, "concat": {"axis"},
    "ODConv": CONV | {"temperature", "bn_epsilon"},
    "KWConv": CONV | {"warehouse", "out_channels", "kernel_size", "start_cell", "norm_epsilon"},
    "DDF": {"kernel_size", "stride", "dilation", "combine"},
    "DDFPack": {"kernel_size", "stride", "dilation", "head", "combine", "nonlinearity"},
}


class Invalid(Exception):
    pass


def _pair(v, what):
    if isinstance(v, int):
        return [v, v]
    if not (isinstance(v, list) and len(v) == 2 and all(isinstance(i, int) and i >= 0 for i in v)):
        raise Invalid("%s: expected 2 non-negative integers, got %r" % (what, v))
    return v


def _pad4(attrs):
    p = attrs.get("padding", [0, 0])
    if isinstance(p, int):
        p = [p, p]
    if len(p) == 2:
        p = [p[0], p[1], p[0], p[1]]
    if len(p) != 4:
        raise Invalid("padding must have 2 or 4 entries")
    return p


def _conv_hw(h, w, k, attrs, stride_default=1):
    s = _pair(attrs.get("stride", [stride_default] * 2), "stride")
    d = _pair(attrs.get("dilation", [1, 1]), "dilation")
    t, l, b, r = _pad4(attrs)
    kh, kw = k
    ho = (h + t + b - d[0] * (kh - 1) - 1) // s[0] + 1
    wo = (w + l + r - d[1] * (kw - 1) - 1) // s[1] + 1
    if ho < 1 or wo < 1:
        raise Invalid("empty output %dx%d" % (ho, wo))
    return ho, wo


class Validator:
    def __init__(self, path):
        self.path = path
        self.doc = json.load(open(path))
        self.shapes = {}
        self.use = collections.Counter()
        self.weights = {}
        self.is_warehouse = set()

    def param(self, prefix, suffix, shape=None, matrix_ok=False):
        name = suffix if not prefix else prefix + "." + suffix
        if name not in self.weights:
            raise Invalid("missing weight %s" % name)
        have = list(self.weights[name])
        if shape is not None:
            ok = have == list(shape)
            if not ok and matrix_ok and len(shape) == 2:
                ok = have == list(shape) + [1, 1]
            if not ok:
                raise Invalid("weight %s has shape %s, expected %s" % (name, have, list(shape)))
        self.use[name] += 1
        return have

    def has(self, prefix, suffix):
        return (suffix if not prefix else prefix + "." + suffix) in self.weights

    def run(self):
        doc = self.doc
        extra = set(doc) - TOP_KEYS
        if extra:
            raise Invalid("unknown top-level keys %s" % sorted(extra))
        if doc.get("format") != "dyconv-model" or doc.get("version") != 1:
            raise Invalid("format/version")
        if "weights" in doc:
            wpath = doc["weights"]
            if not os.path.isabs(wpath):
                wpath = os.path.join(os.path.dirname(self.path), wpath)
            _, header = safetensors.read_header(wpath)
            header.pop("__metadata__", None)
            for name, info in header.items():
                if info["dtype"] != "F32":
                    raise Invalid("%s is not F32" % name)
                self.weights[name] = info["shape"]
        for name, t in doc.get("tensors", {}).items():
            if name in self.weights:
                raise Invalid("%s both inline and in the safetensors file" % name)
            self.weights[name] = t["shape"]
        for inp in doc["inputs"]:
            self.shapes[inp["name"]] = list(inp["shape"])
        producers = {}
        for i, node in enumerate(doc["nodes"]):
            if set(node) - NODE_KEYS:
                raise Invalid("node %d: unknown keys %s" % (i, sorted(set(node) - NODE_KEYS)))
            if len(node["outputs"]) != 1:
                raise Invalid("node %d: exactly one output expected" % i)
            out = node["outputs"][0]
            if out in producers or out in self.shapes:
                raise Invalid("value %s defined twice" % out)
            producers[out] = node
        defined = set(self.shapes)
        pending = list(doc["nodes"])
        while pending:
            ready = [n for n in pending if all(v in defined for v in n["inputs"])]
            if not ready:
                undefined = sorted({v for n in pending for v in n["inputs"]} - defined - set(producers))
                raise Invalid("cycle or undefined values %s" % undefined)
            for n in ready:
                try:
                    self.shapes[n["outputs"][0]] = self.infer(n)
                except Invalid as e:
                    raise Invalid("node %s (%s): %s" % (n["outputs"][0], n["op"], e))
                defined.add(n["outputs"][0])
            pending = [n for n in pending if n not in ready]
        for out in doc["outputs"]:
            if out not in self.shapes:
                raise Invalid("output %s undefined" % out)
        ignore = doc.get("ignore_weights", [])

        def ignored(name):
            return any(name == p or (p.endswith("*") and name.startswith(p[:-1])) for p in ignore)
        unused = [n for n in self.weights if self.use[n] == 0 and not ignored(n)]
        if unused:
            raise Invalid("%d unused weights, e.g. %s" % (len(unused), unused[:5]))
        shared = [n for n, c in self.use.items() if c > 1 and n not in self.is_warehouse]
        if shared:
            raise Invalid("weights used by several nodes: %s" % shared[:5])
        return self

    def infer(self, node):
        op = node["op"]
        if op not in ATTRIBUTES:
            raise Invalid("unknown op")
        attrs = node.get("attributes", {})
        unknown = set(attrs) - ATTRIBUTES[op]
        if unknown:
            raise Invalid("unknown attributes %s" % sorted(unknown))
        prefix = node.get("prefix", "")
        ins = [self.shapes[v] for v in node["inputs"]]
        x = ins[0]
        if op in ("relu", "relu6", "sigmoid", "clip"):
            return x
        if op == "add":
            if ins[0] != ins[1]:
                raise Invalid("add of %s and %s" % (ins[0], ins[1]))
            return x
        if op == "batch_norm":
            for s in ("weight", "bias", "running_mean", "running_var"):
                self.param(prefix, s, [x[1]])
            return x
        if op == "global_avg_pool":
            return x[:2] + [1, 1]
        if op == "flatten":
            axis = attrs.get("axis", 1)
            n = 1
            for d in x[axis:]:
                n *= d
            return x[:axis] + [n]
        if op == "linear":
            w = self.param(prefix, "weight")
            if len(w) != 2 or w[1] != x[-1]:
                raise Invalid("linear weight %s for input %s" % (w, x))
            if self.has(prefix, "bias"):
                self.param(prefix, "bias", [w[0]])
            return x[:-1] + [w[0]]
        if op == "max_pool2d":
            k = _pair(attrs["kernel_size"], "kernel_size")
            attrs2 = dict(attrs)
            attrs2.setdefault("stride", k)
            ho, wo = _conv_hw(x[2], x[3], k, attrs2)
            return [x[0], x[1], ho, wo]
        if op == "conv2d":
            w = self.param(prefix, "weight")
            g = attrs.get("groups", 1)
            if len(w) != 4 or w[1] * g != x[1] or w[0] % g:
                raise Invalid("conv weight %s, input %s, groups %d" % (w, x, g))
            if self.has(prefix, "bias"):
                self.param(prefix, "bias", [w[0]])
            ho, wo = _conv_hw(x[2], x[3], w[2:], attrs)
            return [x[0], w[0], ho, wo]
        if op == "ODConv":
            w = self.param(prefix, "weight")
            g = attrs.get("groups", 1)
            if len(w) != 5 or w[2] * g != x[1] or w[3] != w[4]:
                raise Invalid("ODConv weight %s, input %s, groups %d" % (w, x, g))
            K, cout, _, k, _ = w
            cin = x[1]
            fc = self.param(prefix, "attention.fc.weight")
            A = fc[0]
            if fc[1:] not in ([cin], [cin, 1, 1]):
                raise Invalid("attention.fc.weight %s for Cin %d" % (fc, cin))
            for s in ("weight", "bias", "running_mean", "running_var"):
                self.param(prefix, "attention.bn." + s, [A])
            heads = {"channel_fc": cin}
            if not (cin == g and cin == cout):
                heads["filter_fc"] = cout
            if k != 1:
                heads["spatial_fc"] = k * k
            if K != 1:
                heads["kernel_fc"] = K
            for head in ("channel_fc", "filter_fc", "spatial_fc", "kernel_fc"):
                present = self.has(prefix, "attention.%s.weight" % head)
                if present != (head in heads):
                    raise Invalid("head %s %s but the spec says it %s" % (
                        head, "present" if present else "missing",
                        "exists" if head in heads else "is skipped"))
                if present:
                    self.param(prefix, "attention.%s.weight" % head, [heads[head], A], matrix_ok=True)
                    self.param(prefix, "attention.%s.bias" % head, [heads[head]])
            ho, wo = _conv_hw(x[2], x[3], [k, k], attrs)
            return [x[0], cout, ho, wo]
        if op == "KWConv":
            wname = attrs["warehouse"]
            if wname not in self.weights:
                raise Invalid("no warehouse %s" % wname)
            M, co, ci, ckh, ckw = self.weights[wname]
            self.use[wname] += 1
            self.is_warehouse.add(wname)
            cout = attrs["out_channels"]
            kh, kw = _pair(attrs["kernel_size"], "kernel_size")
            g = attrs.get("groups", 1)
            cin = x[1]
            if cout % co or (cin // g) % ci or (ckh, ckw) != (1, 1):
                raise Invalid("Cout %d, Cin/g %d vs cells [%d,%d,%d,%d]" % (cout, cin // g, co, ci, ckh, ckw))
            n = kh * kw * (cout // co) * (cin // g // ci)
            fc1 = self.param(prefix, "attention.fc1.weight")
            hid = fc1[0]
            if fc1[1:] not in ([cin], [cin, 1, 1]):
                raise Invalid("fc1 %s for Cin %d" % (fc1, cin))
            self.param(prefix, "attention.norm1.weight", [hid])
            self.param(prefix, "attention.norm1.bias", [hid])
            bn = self.has(prefix, "attention.norm1.running_mean")
            if bn:
                self.param(prefix, "attention.norm1.running_mean", [hid])
                self.param(prefix, "attention.norm1.running_var", [hid])
                if self.has(prefix, "attention.fc1.bias"):
                    raise Invalid("fc1.bias with a BatchNorm1d attention")
            else:
                self.param(prefix, "attention.fc1.bias", [hid])
            if self.has(prefix, "attention.fc3.weight"):
                fc3 = self.param(prefix, "attention.fc3.weight")
                L, Nb = M - fc3[0], fc3[1]
                self.param(prefix, "attention.fc2.weight", [n * (L + Nb + 1), hid], matrix_ok=True)
                self.param(prefix, "attention.basis_bias", [n * (M + 1)])
                start = attrs.get("start_cell", 0)
                if not 0 <= start <= M - L:
                    raise Invalid("start_cell %d outside [0, %d]" % (start, M - L))
            else:
                self.param(prefix, "attention.fc2.weight", [n * (M + 1), hid], matrix_ok=True)
                self.param(prefix, "attention.fc2.bias", [n * (M + 1)])
            if self.has(prefix, "bias"):
                self.param(prefix, "bias", [cout])
            ho, wo = _conv_hw(x[2], x[3], [kh, kw], attrs)
            return [x[0], cout, ho, wo]
        if op == "DDFPack":
            k = attrs.get("kernel_size", 3)
            s = attrs.get("stride", 1)
            head = attrs.get("head", 1)
            c, h, w = x[1:]
            if h % s or w % s:
                raise Invalid("H, W not divisible by the stride")
            mid = self.param(prefix, "channel_branch.1.weight")[0]
            self.param(prefix, "spatial_branch.0.weight", [head * k * k, c, 1, 1], matrix_ok=True)
            self.param(prefix, "spatial_branch.0.bias", [head * k * k])
            self.param(prefix, "channel_branch.1.bias", [mid])
            self.param(prefix, "channel_branch.3.weight", [c * k * k, mid, 1, 1])
            self.param(prefix, "channel_branch.3.bias", [c * k * k])
            self.param(prefix, "channel_branch.4.std", [c * k * k])
            if attrs.get("combine", "mul") not in ("mul", "add"):
                raise Invalid("combine")
            return [x[0], c, h // s, w // s]
        raise Invalid("op %s not handled by this validator" % op)


def validate(path, schema_path=None):
    v = Validator(path).run()
    if schema_path and os.path.exists(schema_path):
        import jsonschema
        jsonschema.validate(v.doc, json.load(open(schema_path)))
    return v


def main(paths):
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    schema = os.path.join(here, "docs", "model-format.schema.json")
    status = 0
    for p in paths:
        try:
            v = validate(p, schema)
            print("ok   %s: %d nodes, %d weights, outputs %s" % (
                p, len(v.doc["nodes"]), len(v.weights), [v.shapes[o] for o in v.doc["outputs"]]))
        except Exception as e:  # noqa: BLE001
            print("FAIL %s: %s" % (p, e))
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
