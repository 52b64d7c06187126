# cmake -DLIBRARY=<libdyconv_runtime.so> -P CheckRuntimeDependencies.cmake
# Fails unless every NEEDED entry of LIBRARY is a C/C++ system library.
find_program(READELF readelf REQUIRED)
execute_process(COMMAND ${READELF} -d ${LIBRARY}
  OUTPUT_VARIABLE dynamic RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "readelf -d ${LIBRARY} failed")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[[^]]*\\]" needed "${dynamic}")
set(libraries "libc|libm|libdl|libpthread|libstdc\\+\\+|libgcc_s|ld-linux[-a-z0-9_]*")
# A sanitizer build (DYCONV_ENABLE_ASAN) links the sanitizers' runtimes too.
if(SANITIZED)
  string(APPEND libraries "|libasan|libubsan")
endif()
set(allowed "^(${libraries})\\.so")
foreach(entry ${needed})
  string(REGEX REPLACE ".*\\[(.*)\\]" "\\1" name "${entry}")
  message(STATUS "NEEDED ${name}")
  if(NOT name MATCHES "${allowed}")
    message(FATAL_ERROR "${LIBRARY} depends on ${name}: the runtime may only "
                        "need libc, libdl, pthreads and the C++ runtime")
  endif()
endforeach()
