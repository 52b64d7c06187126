"""Converts a checkpoint of the authors' training code into a dyconv model.

An authors' checkpoint is a ``torch.save`` of a ``state_dict``, possibly
wrapped as ``{'state_dict': ...}`` or ``{'model': ...}`` (next to optimizer
state, epoch, ...), its keys prefixed with ``module.`` by DataParallel.  The
dyconv JSON graphs use the same state_dict names (KW warehouses included:
``warehouse_manager.weights.<i>``), so converting is renaming, never
reshaping: ``convert`` checks the weights against a graph and returns them
under the graph's names; ``write`` stores the graph JSON and a safetensors
file next to each other.

Checks: every weight the graph needs is present (``missing weight ...``)
with the shape its layer needs, unexpected keys are reported (BatchNorm
``num_batches_tracked`` is ignored), and a forward pass on zeros proves that
the layers fit together (an error names the layer and its input shapes)."""

import copy
import json
import os
import pickle
import re

import numpy as np
import torch

from . import safetensors
from .cli import UserError
from .graph import GraphModule, _ignored, _load_weights

EXAMPLES_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                             "examples", "models"))
_WRAPPERS = ("state_dict", "model")
_PREFIX = "module."
_SKIPPED_SUFFIX = "num_batches_tracked"


def architecture_path(name):
    """The graph JSON of an architecture: a path to a ``.json`` file, or the
    name of an example model (examples/models/NAME.json)."""
    if name.endswith(".json"):
        return name
    path = os.path.join(EXAMPLES_DIR, name + ".json")
    if not os.path.exists(path):
        known = sorted(f[:-5] for f in os.listdir(EXAMPLES_DIR) if f.endswith(".json")) \
            if os.path.isdir(EXAMPLES_DIR) else []
        raise UserError("unknown architecture '%s' (known: %s; or pass a graph .json)"
                        % (name, ", ".join(known) or "none found in %s" % EXAMPLES_DIR))
    return path


def _load(path, trust_pickle):
    """torch.load on the CPU; only tensors and plain containers unless ``trust_pickle``."""
    try:
        return torch.load(path, map_location="cpu", weights_only=not trust_pickle)
    except pickle.UnpicklingError as e:
        reason = str(e).split("WeightsUnpickler error:")[-1].strip().splitlines()[0]
        raise UserError("%s: a tensors-only load refuses it (%s); if you trust the file, pass --trust-pickle"
                        % (path, reason))
    except (RuntimeError, EOFError, AttributeError, ModuleNotFoundError) as e:
        raise UserError("%s: cannot read the checkpoint: %s" % (path, str(e).splitlines()[0]))


def _unwrap(checkpoint, path):
    """The state_dict inside a checkpoint object."""
    for key in _WRAPPERS:
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get(key), dict):
            return checkpoint[key]
    if isinstance(checkpoint, dict) and checkpoint and all(torch.is_tensor(v) for v in checkpoint.values()):
        return checkpoint
    what = "a dict with keys %s" % sorted(checkpoint)[:8] if isinstance(checkpoint, dict) else type(checkpoint)
    raise UserError("%s: no state_dict found (expected a dict of tensors, possibly under %s; got %s)"
                    % (path, " or ".join("'%s'" % k for k in _WRAPPERS), what))


def load_state_dict(path, trust_pickle=False):
    """``{name: float32 ndarray}`` of a checkpoint file, unwrapped, without
    ``module.`` prefixes and without ``num_batches_tracked``."""
    state = {}
    for name, value in _unwrap(_load(path, trust_pickle), path).items():
        if name.endswith(_SKIPPED_SUFFIX):
            continue
        while name.startswith(_PREFIX):
            name = name[len(_PREFIX):]
        if not torch.is_tensor(value) or not value.is_floating_point():
            raise UserError("%s: '%s' is not a floating-point tensor" % (path, name))
        if name in state:
            raise UserError("%s: '%s' appears twice (with and without '%s')" % (path, name, _PREFIX))
        state[name] = value.detach().float().numpy()
    return state


def _layer_inputs(model):
    """Forward pre-hooks recording the last layer entered and its input shapes."""
    last = {}
    handles = []
    for name, module in model.named_modules():
        if name and not list(module.children()):
            def hook(module, inputs, name=name):
                last["layer"] = "%s (input %s)" % (name, ", ".join(str(list(x.shape)) for x in inputs))
            handles.append(module.register_forward_pre_hook(hook))
    return last, handles


def _check_forward(model, graph):
    """Runs the model on zeros at batch 1; a shape error names the layer."""
    shapes = [i["shape"][1:] for i in graph["inputs"]]
    if any(d < 0 for shape in shapes for d in shape):
        return
    last, handles = _layer_inputs(model)
    try:
        with torch.no_grad():
            model(*[torch.zeros([1] + shape) for shape in shapes])
    except (RuntimeError, ValueError) as e:
        raise UserError("the weights do not fit together at layer %s: %s"
                        % (last.get("layer", "?"), str(e).splitlines()[0]))
    finally:
        for h in handles:
            h.remove()


def _plural(items):
    return "s" if len(items) > 1 else ""


def convert(state, graph, allow_unexpected=False):
    """Checks ``state`` ({name: ndarray}) against ``graph`` (a parsed JSON
    graph); returns ``(the weights the graph needs in its order, unexpected
    names)``.  Raises UserError for missing or misshaped weights, and for
    unexpected ones unless ``allow_unexpected`` (they are then left out)."""
    inline = {n: np.asarray(t["data"], np.float32).reshape(t["shape"]) for n, t in graph.get("tensors", {}).items()}
    try:
        model = GraphModule(graph, {n: list(v.shape) for n, v in dict(state, **inline).items()}).eval()
    except ValueError as e:
        raise UserError(str(e))
    needed = [n for n in model.state_dict() if not n.endswith(_SKIPPED_SUFFIX) and n not in inline]
    missing = [n for n in needed if n not in state]
    if missing:
        raise UserError("missing weight%s: %s" % (_plural(missing), ", ".join(missing)))
    unexpected = [n for n in state if n not in needed and not _ignored(n, graph.get("ignore_weights", []))]
    if unexpected and not allow_unexpected:
        raise UserError("unexpected key%s (not weights of this graph; --allow-unexpected leaves them out): %s"
                        % (_plural(unexpected), ", ".join(unexpected)))
    weights = {n: state[n] for n in needed}
    try:
        _load_weights(model, dict(weights, **inline), [])
    except ValueError as e:
        raise UserError(str(e))
    _check_forward(model, graph)
    return weights, unexpected


def read_graph(path):
    """The parsed graph JSON at ``path``."""
    with open(path) as f:
        try:
            graph = json.load(f)
        except ValueError as e:
            raise UserError("%s: not valid JSON: %s" % (path, e))
    if not isinstance(graph, dict) or graph.get("format") != "dyconv-model":
        raise UserError("%s: not a dyconv-model graph" % path)
    return graph


def write(graph, weights, json_path, metadata=None):
    """Writes the graph to ``json_path`` with its ``weights`` field naming
    the safetensors file written next to it (same stem); returns that path."""
    weights_path = re.sub(r"\.json$", "", json_path) + ".safetensors"
    graph = copy.deepcopy(graph)
    graph["weights"] = os.path.basename(weights_path)
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    safetensors.write(weights_path, weights, metadata)
    with open(json_path, "w") as f:
        json.dump(graph, f, indent=1)
        f.write("\n")
    return weights_path
