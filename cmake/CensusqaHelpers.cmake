# Build glue, one helper per kind (STYLE.md habit 9).

# censusqa_add_plugin(NAME <id> MODULE <module.cpp> RULES <rule sources...>)
# Builds the plugin's rules as an object library (shared by the plugin and its tests) and the
# loadable module <id>.so in the plugin folder. Plugins see only the SDK headers.
function(censusqa_add_plugin)
  cmake_parse_arguments(P "" "NAME;MODULE" "RULES" ${ARGN})
  set(rules_target ${P_NAME}_rules)
  add_library(${rules_target} OBJECT ${P_RULES})
  target_link_libraries(${rules_target} PUBLIC censusqa::sdk PRIVATE censusqa_warnings)
  add_library(${P_NAME} MODULE ${P_MODULE} $<TARGET_OBJECTS:${rules_target}>)
  target_link_libraries(${P_NAME} PRIVATE censusqa::sdk censusqa_warnings)
  set_target_properties(${P_NAME} PROPERTIES PREFIX "" OUTPUT_NAME ${P_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${CENSUSQA_PLUGIN_DIR})
endfunction()

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
