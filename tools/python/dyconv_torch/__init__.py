"""dyconv_torch: eager PyTorch modules of the dynamic convolutions that dyconv
compiles, in the authors' formulation (ODConv2d, KernelWarehouse, DDF), and
``build_model``, which turns a dyconv JSON graph plus its safetensors weights
into the same network as an ``nn.Module``."""

from .ddf import DDFPack, FilterNorm, ddf
from .graph import GraphModule, build_model
from .kernel_warehouse import KWConv1d, KWConv2d, KWLinear, Warehouse_Manager
from .odconv import ODConv2d
from .safetensors import read as read_safetensors

__all__ = ["DDFPack", "FilterNorm", "ddf", "GraphModule", "build_model", "KWConv1d", "KWConv2d", "KWLinear",
           "Warehouse_Manager", "ODConv2d", "read_safetensors"]
__version__ = "0.1.0"
