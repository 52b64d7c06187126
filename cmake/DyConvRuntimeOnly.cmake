# The runtime-only build (-DDYCONV_RUNTIME_ONLY=ON): the .dyc format, the
# runtime library and the Python module, with no MLIR or LLVM. It is what
# `pip install python/` configures. The runtime needs Halide's
# HalideRuntime.h only, for the buffer structs that kernels take.
include(DyConvHalideRoot)
if(NOT EXISTS "${DYCONV_HALIDE_ROOT}/include/HalideRuntime.h")
  message(FATAL_ERROR
    "HalideRuntime.h not found (DYCONV_HALIDE_ROOT='${DYCONV_HALIDE_ROOT}'). Run "
    "scripts/setup.sh to install Halide into .venv, or pass DYCONV_HALIDE_ROOT "
    "(pip: -C cmake.define.DYCONV_HALIDE_ROOT=<dir with include/HalideRuntime.h>).")
endif()

set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
add_subdirectory(runtime/files)
add_subdirectory(runtime/artifact)
add_subdirectory(runtime/lib)
add_subdirectory(python)
