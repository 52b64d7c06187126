"""KernelWarehouse (ICML 2024) in the formulation of the authors' module
(OSVAI/KernelWarehouse ``modules/kernel_warehouse.py``; operator spec §2):
``Warehouse_Manager`` (reserve / store / allocate), ``KWConv1d/2d``,
``KWLinear`` and the contrasting-driven attention (CAF) in plain and
nonlocal-basis mode.  Each layer mixes its kernel cells from the shared
warehouse and runs ONE grouped convolution with the batch folded into the
groups.  Inference only: the temperature is 0, so ``temp_bias`` is left out."""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _parse(value, n):
    """A scalar or a 1-element sequence repeated n times, or a length-n sequence."""
    if isinstance(value, (list, tuple)):
        if len(value) == 1:
            return list(value) * n
        if len(value) == n:
            return list(value)
        raise ValueError("expected 1 or %d values, got %d" % (n, len(value)))
    return [value] * n


class Attention(nn.Module):
    """CAF attention of one KW layer (spec §2.4): GAP -> fc1 -> norm -> ReLU
    -> fc2 (-> fc3 basis mapping in nonlocal mode) -> per-mixture L1
    normalisation over the M cells plus the zero cell.  Output ``[B*n, M]``.

    ``num_basis`` selects nonlocal-basis mode; then ``num_local_cell`` cells
    of this layer sit at ``[start_cell_idx, start_cell_idx + num_local_cell)``."""

    def __init__(self, in_planes, hidden_planes, num_static_cell, num_local_mixture, norm_layer=nn.BatchNorm1d,
                 num_local_cell=None, num_basis=None, start_cell_idx=0):
        super().__init__()
        self.kw_planes_per_mixture = num_static_cell + 1
        self.num_local_mixture = num_local_mixture
        self.kw_planes = self.kw_planes_per_mixture * num_local_mixture
        self.start_cell_idx = start_cell_idx
        self.fc1 = nn.Linear(in_planes, hidden_planes, bias=norm_layer is not nn.BatchNorm1d)
        self.norm1 = norm_layer(hidden_planes)
        self.act1 = nn.ReLU(inplace=True)
        if num_basis is None:
            self.fc2 = nn.Linear(hidden_planes, self.kw_planes, bias=True)
        else:
            self.num_local_cell = num_local_cell
            self.num_basis = num_basis
            self.fc2 = nn.Linear(hidden_planes, (num_local_cell + num_basis + 1) * num_local_mixture, bias=False)
            self.fc3 = nn.Linear(num_basis, num_static_cell - num_local_cell, bias=False)
            self.basis_bias = nn.Parameter(torch.zeros([self.kw_planes]))
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

    def _map_to_cell_basis(self, x):
        """Nonlocal mode: local logits land at the layer's own cells, the
        basis logits are mapped onto every other cell by fc3."""
        x = x.reshape(-1, self.num_local_cell + self.num_basis + 1)
        local, nonlocal_, zero = x[:, :self.num_local_cell], x[:, self.num_local_cell:-1], x[:, -1:]
        nonlocal_ = self.fc3(nonlocal_)
        start = self.start_cell_idx
        x = torch.cat([nonlocal_[:, :start], local, nonlocal_[:, start:], zero], dim=1)
        return x.reshape(-1, self.kw_planes) + self.basis_bias.reshape(1, -1)

    def forward(self, x):
        x = x.reshape(*x.shape[:2], -1).mean(dim=-1)
        x = self.fc2(self.act1(self.norm1(self.fc1(x))))
        if hasattr(self, "fc3"):
            x = self._map_to_cell_basis(x)
        x = x.reshape(-1, self.kw_planes_per_mixture)
        x = x / (torch.sum(torch.abs(x), dim=1).view(-1, 1) + 1e-3)
        return x[:, :-1]


class KWconvNd(nn.Module):
    """A KW convolution: ``forward`` assembles the per-sample kernels from the
    warehouse cells (spec §2.5) and runs a conv with groups = g * B.  The
    warehouse manager is held in a list so that it is not registered as a
    submodule (its weights live under ``warehouse_manager.weights.<w>``)."""

    dimension = None
    permute = None
    func_conv = None

    def __init__(self, in_planes, out_planes, kernel_size, stride=1, padding=0, dilation=1, groups=1,
                 bias=False, warehouse_id=None, warehouse_manager=None):
        super().__init__()
        self.in_planes = in_planes
        self.out_planes = out_planes
        self.kernel_size = _parse(kernel_size, self.dimension)
        self.stride = _parse(stride, self.dimension)
        self.padding = _parse(padding, self.dimension)
        self.dilation = _parse(dilation, self.dimension)
        self.groups = groups
        self.bias = nn.Parameter(torch.zeros([out_planes])) if bias else None
        self.warehouse_id = warehouse_id
        self.warehouse_manager = [warehouse_manager]

    def set_cell_layout(self, cell_shape):
        """Derives the cell layout (spec §2.3) from the warehouse shape
        ``[M, co, ci, *cell_kernel]``; returns the mixture count n."""
        self.cell_shape = list(cell_shape)
        self.groups_out_channel = self.out_planes // self.cell_shape[1]
        self.groups_in_channel = self.in_planes // self.cell_shape[2] // self.groups
        self.groups_spatial = 1
        for d in range(self.dimension):
            self.groups_spatial = self.groups_spatial * self.kernel_size[d] // self.cell_shape[3 + d]
        return self.groups_out_channel * self.groups_in_channel * self.groups_spatial

    def init_attention(self, start_cell_idx, hidden_planes, norm_layer=nn.BatchNorm1d, num_local_cell=None,
                       num_basis=None):
        """Builds the attention (after ``set_cell_layout``); ``num_basis``
        selects nonlocal-basis mode."""
        num_local_mixture = self.groups_out_channel * self.groups_in_channel * self.groups_spatial
        self.attention = Attention(self.in_planes, hidden_planes, self.cell_shape[0], num_local_mixture,
                                   norm_layer=norm_layer, num_local_cell=num_local_cell, num_basis=num_basis,
                                   start_cell_idx=start_cell_idx)

    def forward(self, x):
        kw_attention = self.attention(x)
        batch = x.shape[0]
        x = x.reshape(1, -1, *x.shape[2:])
        cells = self.warehouse_manager[0].take_cell(self.warehouse_id).reshape(self.cell_shape[0], -1)
        weight = torch.mm(kw_attention, cells)
        weight = weight.reshape(batch, self.groups_spatial, self.groups_out_channel, self.groups_in_channel,
                                *self.cell_shape[1:])
        weight = weight.permute(*self.permute).reshape(-1, self.in_planes // self.groups, *self.kernel_size)
        y = self.func_conv(x, weight=weight, bias=None, stride=self.stride, padding=self.padding,
                           dilation=self.dilation, groups=self.groups * batch)
        y = y.view(batch, self.out_planes, *y.shape[2:])
        if self.bias is not None:
            y = y + self.bias.reshape(1, -1, *([1] * self.dimension))
        return y


class KWConv1d(KWconvNd):
    dimension = 1
    permute = (0, 2, 4, 3, 5, 1, 6)
    func_conv = staticmethod(F.conv1d)


class KWConv2d(KWconvNd):
    dimension = 2
    permute = (0, 2, 4, 3, 5, 1, 6, 7)
    func_conv = staticmethod(F.conv2d)


class KWLinear(nn.Module):
    """A KW linear layer: ``[..., Cin]`` as a 1-D conv over the tokens (state_dict infix ``.conv.``)."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        self.conv = KWConv1d(*args, **kwargs)

    def forward(self, x):
        shape = x.shape
        x = self.conv(x.reshape(shape[0], -1, shape[-1]).transpose(1, 2))
        return x.transpose(1, 2).reshape(*shape[:-1], -1)


class Warehouse_Manager(nn.Module):  # noqa: N801 -- the authors' class name
    """Creates the KW layers of a network and their shared warehouses (spec §2.2):

    1. ``reserve(...)`` while building the network: returns a ``KWConv2d``
       (or a plain ``nn.Conv2d``/``nn.Linear`` when ``enabled=False``) and
       records its kernel shape under the fused warehouse name;
    2. ``store()``: creates ``weights[w] [M, co, ci, *cell]`` per warehouse;
    3. ``allocate(network)``: walks ``network.modules()`` (registration order)
       and gives every KW layer its cells and its attention.

    ``reduction``, ``cell_num_ratio``, ``cell_inplane_ratio`` and
    ``cell_outplane_ratio`` are scalars or one value per warehouse."""

    def __init__(self, reduction=0.0625, cell_num_ratio=1, cell_inplane_ratio=1, cell_outplane_ratio=1,
                 sharing_range=(), nonlocal_basis_ratio=1, norm_layer=nn.BatchNorm1d, spatial_partition=True):
        super().__init__()
        self.sharing_range = sharing_range
        self.warehouse_list = {}
        self.reduction = reduction
        self.spatial_partition = spatial_partition
        self.cell_num_ratio = cell_num_ratio
        self.cell_outplane_ratio = cell_outplane_ratio
        self.cell_inplane_ratio = cell_inplane_ratio
        self.norm_layer = norm_layer
        self.nonlocal_basis_ratio = nonlocal_basis_ratio

    @classmethod
    def from_shapes(cls, shapes):
        """A manager holding already-stored warehouses of the given shapes
        (e.g. read from a checkpoint); its layers are set up by the caller
        with ``KWconvNd.init_attention``."""
        manager = cls()
        manager.weights = nn.ParameterList([nn.Parameter(torch.zeros(shape)) for shape in shapes])
        return manager

    def fuse_warehouse_name(self, warehouse_name):
        """``stage1_layer0_conv1`` with sharing range ("layer", "conv") -> ``stage1_layer_conv``."""
        fused = []
        for token in warehouse_name.split("_"):
            for sharing_name in self.sharing_range:
                if token.startswith(sharing_name):
                    token = sharing_name
            fused.append(token)
        return "_".join(fused)

    def reserve(self, in_planes, out_planes, kernel_size=1, stride=1, padding=0, dilation=1, groups=1,
                bias=True, warehouse_name="default", enabled=True, layer_type="conv2d"):
        """Creates a KW layer (without weights) and records its kernel shape."""
        if not enabled:
            if layer_type == "linear":
                return nn.Linear(in_planes, out_planes, bias=bias)
            plain = {"conv1d": nn.Conv1d, "conv2d": nn.Conv2d}[layer_type]
            return plain(in_planes, out_planes, kernel_size, stride=stride, padding=padding, dilation=dilation,
                         groups=groups, bias=bias)
        layer_class = {"conv1d": KWConv1d, "conv2d": KWConv2d, "linear": KWLinear}[layer_type]
        dimension = 1 if layer_type == "linear" else layer_class.dimension
        name = self.fuse_warehouse_name(warehouse_name)
        shapes = self.warehouse_list.setdefault(name, [])
        shapes.append([out_planes, in_planes // groups, *_parse(kernel_size, dimension)])
        return layer_class(in_planes, out_planes, kernel_size, stride=stride, padding=padding, dilation=dilation,
                           groups=groups, bias=bias, warehouse_id=list(self.warehouse_list).index(name),
                           warehouse_manager=self)

    def store(self):
        """Computes the cell shape and the cell count M of every warehouse."""
        count = len(self.warehouse_list)
        self.reduction = _parse(self.reduction, count)
        self.spatial_partition = _parse(self.spatial_partition, count)
        self.cell_num_ratio = _parse(self.cell_num_ratio, count)
        self.cell_outplane_ratio = _parse(self.cell_outplane_ratio, count)
        self.cell_inplane_ratio = _parse(self.cell_inplane_ratio, count)
        self.weights = nn.ParameterList()
        for idx, layers in enumerate(self.warehouse_list.values()):
            dimension = len(layers[0]) - 2
            out_gcd, in_gcd, kernel_size = layers[0][0], layers[0][1], layers[0][2:]
            for layer in layers:
                out_gcd = math.gcd(out_gcd, layer[0])
                in_gcd = math.gcd(in_gcd, layer[1])
                if not self.spatial_partition[idx] and layer[2:] != kernel_size:
                    raise ValueError("warehouse %d mixes kernel sizes without spatial partition" % idx)
            cell_in = max(int(in_gcd * self.cell_inplane_ratio[idx]), 1)
            cell_out = max(int(out_gcd * self.cell_outplane_ratio[idx]), 1)
            cell_kernel = [1] * dimension if self.spatial_partition[idx] else kernel_size
            mixtures = 0
            for layer in layers:
                groups_spatial = 1
                for d in range(dimension):
                    groups_spatial = groups_spatial * layer[2 + d] // cell_kernel[d]
                mixtures += groups_spatial * int(layer[0] // cell_out * layer[1] // cell_in)
            num_cells = max(int(mixtures * self.cell_num_ratio[idx]), 1)
            self.weights.append(nn.Parameter(torch.randn(num_cells, cell_out, cell_in, *cell_kernel)))

    def _local_cell_count(self, num_local_mixture, cell_num_ratio):
        """How many cells one layer owns (spec §2.2, allocate)."""
        if cell_num_ratio >= 1.0:
            return num_local_mixture * int(cell_num_ratio)
        q = int(1.0 / cell_num_ratio)
        return sum(1 for m in range(num_local_mixture) if m % q == (m // q) % q)

    def allocate(self, network):
        """Assigns every KW layer of ``network`` (in ``modules()`` order) its
        cells, builds its attention and initialises its cells."""
        end_idxs = [0] * len(self.weights)
        for layer in network.modules():
            if not isinstance(layer, KWconvNd):
                continue
            w = layer.warehouse_id
            warehouse = self.weights[w]
            start = end_idxs[w]
            cnr = self.cell_num_ratio[w]
            hidden = max(int(layer.in_planes * self.reduction[w]), 16)
            num_mixtures = layer.set_cell_layout(warehouse.shape)
            num_local = num_basis = None
            if self.nonlocal_basis_ratio < 1.0:
                num_local = int(cnr * num_mixtures)
                num_basis = max(int((warehouse.shape[0] - num_local) * self.nonlocal_basis_ratio), 16)
            layer.init_attention(start, hidden, self.norm_layer, num_local, num_basis)
            count = self._local_cell_count(num_mixtures, cnr)
            with torch.no_grad():
                nn.init.kaiming_normal_(warehouse[start:start + count].view(-1, *warehouse.shape[2:]),
                                        mode="fan_out", nonlinearity="relu")
            end_idxs[w] = start + count
        for w, end in enumerate(end_idxs):
            if end != self.weights[w].shape[0]:
                raise AssertionError("warehouse %d: %d cells allocated, %d stored" % (w, end, self.weights[w].shape[0]))

    def take_cell(self, warehouse_idx):
        return self.weights[warehouse_idx]
