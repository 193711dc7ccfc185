# Interface targets every tickshm target links: language level, warnings, sanitizers.
add_library(project_options INTERFACE)
target_compile_features(project_options INTERFACE cxx_std_20)

option(TICKSHM_ASAN "Build with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(TICKSHM_TSAN "Build with ThreadSanitizer" OFF)
option(TICKSHM_WERROR "Treat warnings as errors" OFF)

if(TICKSHM_ASAN AND TICKSHM_TSAN)
  message(FATAL_ERROR "TSan cannot be combined with ASan: choose one of TICKSHM_ASAN / TICKSHM_TSAN")
endif()
if(TICKSHM_ASAN)
  # UBSan instruments the product (libraries and programs); a target whose TICKSHM_TEST_CODE property is
  # set (the GoogleTest binaries) gets ASan alone: every library the tests call is instrumented, and
  # UBSan on the test code itself costs build time for nothing the product runs. Its vptr check (the
  # dynamic type behind a polymorphic pointer) is left out: the project's virtual interfaces only ever
  # hold objects it created itself.
  target_compile_options(project_options INTERFACE -fsanitize=address -fno-omit-frame-pointer
    $<$<NOT:$<BOOL:$<TARGET_PROPERTY:TICKSHM_TEST_CODE>>>:-fsanitize=undefined -fno-sanitize=vptr
                                                          -fno-sanitize-recover=undefined>)
  target_link_options(project_options INTERFACE -fsanitize=address,undefined)
  target_compile_definitions(project_options INTERFACE TICKSHM_SANITIZED=1)
endif()
if(TICKSHM_TSAN)
  # -Wno-tsan: the seqlock's fences are not modeled by TSan; seqlock.hpp gives TSan builds ordered
  # payload words instead, so the warning about the (still present) fences is noise.
  target_compile_options(project_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  target_link_options(project_options INTERFACE -fsanitize=thread)
  target_compile_definitions(project_options INTERFACE TICKSHM_SANITIZED=1 TICKSHM_TSAN=1)
endif()

add_library(project_warnings INTERFACE)
target_compile_options(project_warnings INTERFACE
  -Wall -Wextra            # the baseline
  -Wshadow                 # a shadowed name in a protocol loop is a bug waiting
  -Wnon-virtual-dtor       # strategy interfaces are deleted through base pointers
  -Wold-style-cast         # casts on shared memory must be visible
  -Wcast-align             # shared-memory structs rely on alignment
  -Wconversion -Wsign-conversion  # sizes and sequence numbers are unsigned; mixing is how they go wrong
  -Wnull-dereference
  -Wdouble-promotion       # prices are fixed point; floats only in the simulator
  -Wformat=2
  -Wimplicit-fallthrough)
# GCC 12 at -O2/-O3 reports -Wrestrict on std::string appends inside libstdc++ (GCC bug 105329, a
# false positive fixed in GCC 13): silenced there only, so real warnings stay readable.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(project_warnings INTERFACE -Wno-restrict)
endif()
if(TICKSHM_WERROR)
  target_compile_options(project_warnings INTERFACE -Werror)
endif()
