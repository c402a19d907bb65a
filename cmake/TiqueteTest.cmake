# One Catch2 test binary per folder of tests; each TEST_CASE becomes a ctest test.
# Tests labelled "integration" need the PostgreSQL and Redis that tests/run.sh starts.
function(tiquete_test target)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;LIBS" ${ARGN})
  add_executable(${target} ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE ${ARG_LIBS} Catch2::Catch2WithMain)
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  # The binary name prefixes each test so `ctest -R directory` selects a whole suite.
  # --warn NoTests: a test whose name ctest mangled (CMake splits names at ';') matches
  # nothing, and Catch would call that a pass.
  catch_discover_tests(${target} TEST_PREFIX "${target}: " EXTRA_ARGS --warn NoTests
                       PROPERTIES LABELS ${ARG_LABEL} TIMEOUT 120)
endfunction()
