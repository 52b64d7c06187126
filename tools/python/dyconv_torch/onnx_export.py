"""ONNX export of networks built from dyconv_torch's modules.

``export(model, example_input, path)`` runs ``torch.onnx.export`` with every
``ODConv2d``, ``KWConv2d`` and ``DDFPack`` layer and every call of the ``ddf``
op replaced by ONE node of the custom domain ``dyconv`` (version 1), as
docs/onnx-import.md specifies: inputs ``x`` then the layer's parameters,
named by the string-list attribute ``parameters`` with their JSON names
relative to the layer (``weight``, ``attention.fc.weight``, ..., the shared
KW warehouse as ``warehouse``), and the attributes of the JSON format
(docs/model-format.md).  Everything else is ordinary ONNX.  With
``plain=True`` it is the plain export of the authors' code instead (the
batch folded into the groups of a ``Conv``).

The batch is fixed at the example input's by default; ``dynamic_batch=True``
names dimension 0 of every graph input and output ``batch``."""

import collections
import contextlib
import warnings

import torch

from .ddf import DDFPack, ddf_reference, set_export_hook
from .kernel_warehouse import KWConv2d
from .odconv import ODConv2d

DOMAIN = "dyconv"
DOMAIN_VERSION = 1
DEFAULT_OPSET = 13

_Spec = collections.namedtuple("_Spec", "op attributes compute")


@contextlib.contextmanager
def _tracing_paused():
    """Runs eager code inside a traced autograd.Function without recording
    it (the tracer cannot enter submodules there)."""
    state = torch._C._get_tracing_state()
    torch._C._set_tracing_state(None)
    try:
        yield
    finally:
        torch._C._set_tracing_state(state)


class _CustomNode(torch.autograd.Function):
    """Computes ``spec.compute(*inputs)`` in PyTorch; exports as one node
    ``dyconv::<spec.op>`` with ``spec.attributes`` (``torch.onnx`` suffixed
    names: ``_i`` int(s), ``_f`` float, ``_s`` string(s))."""

    @staticmethod
    def forward(ctx, spec, *inputs):
        with _tracing_paused():
            return spec.compute(*inputs)

    @staticmethod
    def symbolic(g, spec, *inputs):
        return g.op("%s::%s" % (DOMAIN, spec.op), *inputs, **spec.attributes)


def _pair(value):
    return [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)] * 2


def _padding(value):
    """[top, left, bottom, right] of a symmetric module padding."""
    ph, pw = _pair(value)
    return [ph, pw, ph, pw]


def _layer_node(op, layer, x, extra_parameters, attributes, forward):
    """One node for ``layer``: x, then its parameters and buffers under their
    state_dict names (plus ``extra_parameters``), named by ``parameters``."""
    params = [(n, t) for n, t in layer.state_dict(keep_vars=True).items() if not n.endswith("num_batches_tracked")]
    params += extra_parameters
    attributes = dict(attributes, parameters_s=[n for n, _ in params])
    spec = _Spec(op, attributes, lambda x, *_: forward(layer, x))
    return _CustomNode.apply(spec, x, *[t for _, t in params])


def _odconv_node(forward, layer, x):
    return _layer_node("ODConv", layer, x, [], {
        "stride_i": _pair(layer.stride), "padding_i": _padding(layer.padding), "dilation_i": _pair(layer.dilation),
        "groups_i": int(layer.groups), "temperature_f": float(layer.attention.temperature),
        "bn_epsilon_f": float(layer.attention.bn.eps)}, forward)


def _kwconv_node(forward, layer, x):
    warehouse = layer.warehouse_manager[0].weights[layer.warehouse_id]
    return _layer_node("KWConv", layer, x, [("warehouse", warehouse)], {
        "out_channels_i": int(layer.out_planes), "kernel_size_i": _pair(layer.kernel_size),
        "stride_i": _pair(layer.stride), "padding_i": _padding(layer.padding), "dilation_i": _pair(layer.dilation),
        "groups_i": int(layer.groups), "start_cell_i": int(layer.attention.start_cell_idx),
        "norm_epsilon_f": float(layer.attention.norm1.eps)}, forward)


def _ddfpack_node(forward, layer, x):
    return _layer_node("DDFPack", layer, x, [], {
        "kernel_size_i": int(layer.kernel_size), "stride_i": int(layer.stride), "dilation_i": int(layer.dilation),
        "head_i": int(layer.head), "combine_s": layer.kernel_combine, "nonlinearity_s": layer.nonlinearity}, forward)


def _ddf_node(x, channel_filter, spatial_filter, kernel_size, dilation, stride, kernel_combine):
    spec = _Spec("DDF", {"kernel_size_i": int(kernel_size), "stride_i": int(stride), "dilation_i": int(dilation),
                         "combine_s": kernel_combine},
                 lambda *xs: ddf_reference(*xs, kernel_size, dilation, stride, kernel_combine))
    return _CustomNode.apply(spec, x, channel_filter, spatial_filter)


_LAYER_NODES = ((ODConv2d, _odconv_node), (KWConv2d, _kwconv_node), (DDFPack, _ddfpack_node))


def _exporting_forward(node, forward):
    """A ``forward(self, x)`` (torch.onnx reads the signature) that emits ``node``."""
    return lambda self, x: node(forward, self, x)


@contextlib.contextmanager
def custom_nodes():
    """While active, ODConv2d / KWConv2d / DDFPack layers and the ``ddf`` op
    export as ``dyconv`` nodes (their eager results are unchanged)."""
    originals = [(cls, cls.forward) for cls, _ in _LAYER_NODES]
    try:
        for (cls, node), (_, forward) in zip(_LAYER_NODES, originals):
            cls.forward = _exporting_forward(node, forward)
        set_export_hook(_ddf_node)
        yield
    finally:
        for cls, forward in originals:
            cls.forward = forward
        set_export_hook(None)


def _names(model, attribute, default, count):
    names = list(getattr(model, attribute, None) or [])
    return names if len(names) == count else ["%s%d" % (default, i) if count > 1 else default for i in range(count)]


@contextlib.contextmanager
def _quiet():
    """Silences torch.onnx's notes on every custom node (no shape inference
    for the ``dyconv`` domain, the deprecated ``g.op`` of PythonOp symbolics)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The shape inference of %s::" % DOMAIN)
        warnings.filterwarnings("ignore", message=".*_graph_op' is deprecated")
        yield


def _declare_shapes(path, outputs, dynamic_batch):
    """Rewrites the file with the graph outputs' shapes of the eager run and
    no intermediate ``value_info`` (torch.onnx gives every value after a
    custom node made-up symbolic dimensions)."""
    import onnx

    proto = onnx.load(path)
    del proto.graph.value_info[:]
    for info, y in zip(proto.graph.output, outputs):
        dims = info.type.tensor_type.shape.dim
        del dims[:]
        for axis, size in enumerate(y.shape):
            dim = dims.add()
            if dynamic_batch and axis == 0:
                dim.dim_param = "batch"
            else:
                dim.dim_value = size
    onnx.save(proto, path)


def export(model, example_input, path, plain=False, dynamic_batch=False, opset=DEFAULT_OPSET):
    """Writes ``model`` (put in eval mode) traced on ``example_input`` (a
    tensor or a tuple of tensors) to the ONNX file ``path``, with ``dyconv``
    nodes, or with ``plain=True`` as plain ``torch.onnx.export`` output;
    returns the model's eager output on that input.  Inputs and outputs take
    the names of a ``GraphModule`` (``input_names``/``output_names``), else
    ``input``/``output``.  Constant folding is on."""
    inputs = example_input if isinstance(example_input, tuple) else (example_input,)
    model = model.eval()
    with torch.no_grad():
        outputs = model(*inputs)
    outputs_tuple = outputs if isinstance(outputs, tuple) else (outputs,)
    input_names = _names(model, "input_names", "input", len(inputs))
    output_names = _names(model, "output_names", "output", len(outputs_tuple))
    options = dict(opset_version=opset, do_constant_folding=True, input_names=input_names,
                   output_names=output_names, training=torch.onnx.TrainingMode.EVAL,
                   dynamic_axes={n: {0: "batch"} for n in input_names + output_names} if dynamic_batch else None)
    with torch.no_grad():
        if plain:
            torch.onnx.export(model, inputs, path, **options)
            return outputs
        with custom_nodes(), _quiet():
            torch.onnx.export(model, inputs, path, custom_opsets={DOMAIN: DOMAIN_VERSION}, **options)
    _declare_shapes(path, outputs_tuple, dynamic_batch)
    return outputs
