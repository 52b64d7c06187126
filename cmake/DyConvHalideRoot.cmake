# Locates the Halide SDK: DYCONV_HALIDE_ROOT if given, else the PyPI wheel that
# scripts/setup.sh installs into the project venv .venv. Codegen needs its
# Halide.h and libHalide.so; the runtime needs only HalideRuntime.h (for the
# buffer structs its kernels take).
if(NOT DYCONV_HALIDE_ROOT)
  set(venv_python "${PROJECT_SOURCE_DIR}/.venv/bin/python")
  if(EXISTS "${venv_python}")
    # find_spec locates the package without loading its extension module.
    set(locate_halide
        "import importlib.util as u; print(u.find_spec('halide').submodule_search_locations[0])")
    execute_process(
      COMMAND "${venv_python}" -c "${locate_halide}"
      OUTPUT_VARIABLE detected_root
      OUTPUT_STRIP_TRAILING_WHITESPACE
      ERROR_QUIET)
  endif()
  set(DYCONV_HALIDE_ROOT "${detected_root}" CACHE PATH
      "Halide SDK (include/Halide.h, lib64/libHalide.so); found in .venv by default" FORCE)
endif()
