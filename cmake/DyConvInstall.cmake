# `cmake --install`: what a user of dyconv needs under one prefix.
#   bin/      dyconv-compile, dyconv-run, dyconv-opt, dyconv-translate
#   lib/      libdyconv_runtime.so, libHalide.so (the compiler's code generator),
#             cmake/dyconv/ (find_package(dyconv): the target dyconv::runtime),
#             pkgconfig/dyconv.pc
#   include/  dyconv_runtime.h (C), dyconv/Runtime/Runtime.hpp (C++)
# The tools find libHalide.so beside them ($ORIGIN/../lib) and MLIR/LLVM in
# Debian's LLVM directory; nothing points back into the build tree or venv.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(dyconv_tools dyconv-compile dyconv-run dyconv-opt dyconv-translate)
install(TARGETS ${dyconv_tools} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT tools)
install(FILES "${DYCONV_HALIDE_ROOT}/lib64/libHalide.so"
        DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT tools)
# Build-tree binaries carry the venv's Halide directory (codegen/CMakeLists.txt
# adds it as a linker option, which CMake's own RPATH rewriting keeps): the
# installed copies get exactly the install RUNPATH.
set(tools_runpath "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}:${LLVM_LIBRARY_DIR}")
foreach(tool ${dyconv_tools})
  set_target_properties(${tool} PROPERTIES INSTALL_RPATH "${tools_runpath}")
  install(CODE "file(RPATH_SET FILE \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${tool}\"
                     NEW_RPATH \"${tools_runpath}\")"
          COMPONENT tools)
endforeach()

install(TARGETS dyconv_runtime LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/runtime/include/dyconv_runtime.h"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/runtime/include/dyconv/Runtime/Runtime.hpp"
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/dyconv/Runtime COMPONENT runtime)

set(package_dir "${CMAKE_INSTALL_LIBDIR}/cmake/dyconv")
configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/dyconvConfig.cmake.in"
  "${CMAKE_BINARY_DIR}/install/dyconvConfig.cmake"
  INSTALL_DESTINATION "${package_dir}"
  PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(
  "${CMAKE_BINARY_DIR}/install/dyconvConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${CMAKE_BINARY_DIR}/install/dyconvConfig.cmake"
              "${CMAKE_BINARY_DIR}/install/dyconvConfigVersion.cmake"
        DESTINATION "${package_dir}" COMPONENT runtime)

configure_file("${CMAKE_CURRENT_LIST_DIR}/dyconv.pc.in"
               "${CMAKE_BINARY_DIR}/install/dyconv.pc" @ONLY)
install(FILES "${CMAKE_BINARY_DIR}/install/dyconv.pc"
        DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig" COMPONENT runtime)
