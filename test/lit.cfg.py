# -*- Python -*-
# lit configuration of the dyconv test suite.

import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "DYCONV"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dyconv_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "unit", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%dyconv_src", config.dyconv_src_root))
config.substitutions.append(("%python", sys.executable))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.dyconv_tools_dir, config.llvm_tools_dir]
llvm_config.with_environment("PATH", tool_dirs, append_path=True)
tools = ["dyconv-opt", "dyconv-translate", "dyconv-run"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Tests that read the golden vectors in place need them present.
if os.path.exists(os.path.join(config.dyconv_golden_dir, "index.json")):
    config.available_features.add("golden")
    config.substitutions.append(("%golden", config.dyconv_golden_dir))
