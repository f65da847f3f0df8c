# SPDX-License-Identifier: MIT
# functions.cmake - how a test is registered, for every directory of tests
# (tests/ and, in a Windows build, tests/windows).

# lp_cmocka_test(GROUP NAME SOURCE TIMEOUT SECONDS [ENV VAR=VALUE...]): a
# cmocka program linked with the static library (internal headers
# included), registered as GROUP.NAME.
function(lp_cmocka_test group name source)
  cmake_parse_arguments(T "" "TIMEOUT" "ENV" ${ARGN})
  add_executable(${name} ${source})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${CMOCKA_INCLUDE_DIRS})
  target_link_libraries(${name} PRIVATE loopprobe_static ${CMOCKA_LINK_LIBRARIES})
  target_compile_definitions(${name} PRIVATE LP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  add_test(NAME ${group}.${name} COMMAND ${name})
  set_tests_properties(${group}.${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_ENV)
    set_tests_properties(${group}.${name} PROPERTIES ENVIRONMENT "${T_ENV}")
  endif()
endfunction()

# lp_lpcheck_test(GROUP NAME lpcheck-arguments...): one call of
# tests/cli/lpcheck.py - ${LPCHECK}, as the calling directory sets it -
# registered as GROUP.NAME with a timeout of 120 s.
function(lp_lpcheck_test group name)
  add_test(NAME ${group}.${name} COMMAND ${LPCHECK} ${ARGN})
  set_tests_properties(${group}.${name} PROPERTIES TIMEOUT 120)
endfunction()
