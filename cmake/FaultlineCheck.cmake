# faultline_add_check(): registers a CTest test that runs an exhaustive `check` and fails on a violation or an
# incomplete search. Used by our own CI and installed with the package for user projects.
#
#   faultline_add_check(NAME <test-name> [PROGRAM <target>] PROTOCOL <protocol>
#                       [PARAMS k=v ...] [PROPERTIES <name> ...] [FAULTS <budget>] [TIMEOUT <seconds>]
#                       [THREADS <n>] [SYMMETRY])
#
# PROPERTIES checks only the properties named (`--property`), e.g. the invariants of a model whose liveness is
# checked by another test under another fault budget.
# PROGRAM is the executable target of a program built with <mc/program.hpp> (Faultline::program) that knows
# PROTOCOL; by default the shipped Faultline::faultline.
# The run writes a JUnit report to <build dir>/<test-name>.junit.xml for the CI system to pick up. TIMEOUT (default
# 600) becomes the check's --time-limit, so an over-long search ends as "incomplete" (a failure) with its partial
# report, rather than being killed.
function(faultline_add_check)
  cmake_parse_arguments(FC "SYMMETRY" "NAME;PROGRAM;PROTOCOL;FAULTS;TIMEOUT;THREADS" "PARAMS;PROPERTIES" ${ARGN})
  if(NOT FC_NAME OR NOT FC_PROTOCOL)
    message(FATAL_ERROR "faultline_add_check: NAME and PROTOCOL are required")
  endif()
  if(FC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "faultline_add_check(${FC_NAME}): unknown arguments ${FC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT FC_PROGRAM)
    set(FC_PROGRAM Faultline::faultline)
  elseif(NOT TARGET ${FC_PROGRAM})
    message(FATAL_ERROR "faultline_add_check(${FC_NAME}): PROGRAM ${FC_PROGRAM} is not a target (add_executable it "
                        "first, linked to Faultline::program)")
  endif()
  if(NOT FC_TIMEOUT)
    set(FC_TIMEOUT 600)
  endif()
  set(args check ${FC_PROTOCOL} --time-limit ${FC_TIMEOUT} --junit ${CMAKE_CURRENT_BINARY_DIR}/${FC_NAME}.junit.xml)
  foreach(p IN LISTS FC_PARAMS)
    list(APPEND args --param ${p})
  endforeach()
  foreach(p IN LISTS FC_PROPERTIES)
    list(APPEND args --property ${p})
  endforeach()
  if(FC_FAULTS)
    list(APPEND args --faults ${FC_FAULTS})
  endif()
  if(FC_THREADS)
    list(APPEND args --threads ${FC_THREADS})
  endif()
  if(FC_SYMMETRY)
    list(APPEND args --symmetry)
  endif()
  add_test(NAME ${FC_NAME} COMMAND ${FC_PROGRAM} ${args})
  math(EXPR hard_timeout "${FC_TIMEOUT} + 60")
  set_tests_properties(${FC_NAME} PROPERTIES TIMEOUT ${hard_timeout} LABELS faultline)
endfunction()
