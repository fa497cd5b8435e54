# Build glue, one helper per kind (STYLE.md habit 9).

# censusqa_add_plugin: the same helper plugin authors get from find_package(censusqa).
set(CENSUSQA_PLUGIN_OUTPUT_DIRECTORY ${CENSUSQA_PLUGIN_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/censusqaPlugin.cmake)

# censusqa_add_rule_test(PLUGIN <id> SOURCES <test sources...>)
# One Catch2 executable per plugin holding every rule's test file.
function(censusqa_add_rule_test)
  cmake_parse_arguments(T "" "PLUGIN" "SOURCES" ${ARGN})
  if(NOT CENSUSQA_BUILD_TESTS)
    return()
  endif()
  set(exe test_${T_PLUGIN})
  string(REPLACE "-" "_" exe ${exe})
  add_executable(${exe} ${T_SOURCES} $<TARGET_OBJECTS:${T_PLUGIN}_rules>)
  target_link_libraries(${exe} PRIVATE censusqa::sdk censusqa_testkit Catch2::Catch2WithMain censusqa_warnings)
  catch_discover_tests(${exe} TEST_PREFIX "${T_PLUGIN}: ")
endfunction()
