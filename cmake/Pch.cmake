# Precompiled headers for the tests: the third-party headers that cost most to parse (GoogleTest with
# gmock, nlohmann-json, spdlog, fmt) are compiled once per build by a host target and reused by every test
# binary. Not for the libraries and programs: there these headers are a small part of each file's time,
# and CLI11's cost is the code of its global validator objects, emitted again in every file that includes
# it, which precompiling cannot save. GCC ignores a precompiled header built with other flags and parses
# the headers instead: a target that differs builds slower, never wrong.
option(TICKSHM_PCH "Precompile the heavy third-party headers once per build" ON)

set(TICKSHM_PCH_TEST_HEADERS <gtest/gtest.h> <gmock/gmock.h> <nlohmann/json.hpp> <spdlog/spdlog.h> <fmt/format.h>
                             <atomic> <chrono> <cstdint> <filesystem> <memory> <optional> <string> <vector>)

# A host: a static library of one empty file that compiles the precompiled header `kind` with the flags
# of the targets that will reuse it (the same libraries linked, so the same definitions).
function(tickshm_pch_host kind)
  cmake_parse_arguments(H "" "" "HEADERS;LIBS" ${ARGN})
  if(NOT TICKSHM_PCH)
    return()
  endif()
  add_library(tickshm_pch_${kind} STATIC ${PROJECT_SOURCE_DIR}/cmake/pch_host.cpp)
  target_link_libraries(tickshm_pch_${kind} PRIVATE ${H_LIBS} project_options project_warnings)
  target_precompile_headers(tickshm_pch_${kind} PRIVATE ${H_HEADERS})
endfunction()

# Every executable defined in `dir` (not its sub-folders) reuses the host `kind`; the folders' helper
# libraries do not link GoogleTest, so its header would not match them.
function(tickshm_use_pch dir kind)
  if(NOT TICKSHM_PCH)
    return()
  endif()
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_precompile_headers(${t} REUSE_FROM tickshm_pch_${kind})
    endif()
  endforeach()
endfunction()
