# censusqa_add_plugin: builds a censusqa rule plugin, in this repository and out of tree alike
# (installed as <prefix>/lib/cmake/censusqa/censusqaPlugin.cmake and loaded by find_package(censusqa)).
#
#   censusqa_add_plugin(NAME <id> SOURCES <sources...>)
#   censusqa_add_plugin(NAME <id> MODULE <module.cpp> RULES <rule sources...>)
#
# The second form also builds the rules as an object library, <id>_rules, which the plugin's tests
# link so that they test the very objects the plugin is made of. Either way the result is the
# loadable module <id>.so (no "lib" prefix), built as C++20 with hidden visibility (only the two
# CENSUSQA_PLUGIN entry points are exported), RTTI on (the host and plugins share type
# information), and position-independent code. Set CENSUSQA_PLUGIN_OUTPUT_DIRECTORY to choose
# where it goes.
#
# Warnings: inside the censusqa project a plugin gets the project's own flags (censusqa_warnings:
# -Wall -Wextra, and -Werror with CENSUSQA_WERROR). Built out of tree it gets -Wall -Wextra (never
# -Werror: that is the author's choice, e.g. target_compile_options(<id> PRIVATE -Werror)) unless
# the author sets CENSUSQA_PLUGIN_WARNINGS to OFF.
option(CENSUSQA_PLUGIN_WARNINGS "censusqa_add_plugin: build out-of-tree plugins with -Wall -Wextra" ON)

# The warning flags for one of a plugin's targets (its rules' object library, or the module).
function(_censusqa_plugin_warnings target)
  if(TARGET censusqa_warnings)
    target_link_libraries(${target} PRIVATE censusqa_warnings)
  elseif(CENSUSQA_PLUGIN_WARNINGS)
    target_compile_options(${target} PRIVATE "$<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall;-Wextra>")
  endif()
endfunction()

function(censusqa_add_plugin)
  cmake_parse_arguments(P "" "NAME;MODULE" "SOURCES;RULES" ${ARGN})
  if(NOT P_NAME)
    message(FATAL_ERROR "censusqa_add_plugin: NAME <id> is required")
  endif()
  if(NOT P_SOURCES AND NOT P_MODULE)
    message(FATAL_ERROR "censusqa_add_plugin(${P_NAME}): give SOURCES, or MODULE and RULES")
  endif()
  set(common_options $<$<CXX_COMPILER_ID:GNU,Clang>:-frtti>)
  set(sources ${P_SOURCES})
  if(P_MODULE)
    add_library(${P_NAME}_rules OBJECT ${P_RULES})
    target_link_libraries(${P_NAME}_rules PUBLIC censusqa::sdk)
    target_compile_options(${P_NAME}_rules PRIVATE ${common_options})
    set_target_properties(${P_NAME}_rules PROPERTIES CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
                                                     POSITION_INDEPENDENT_CODE ON)
    _censusqa_plugin_warnings(${P_NAME}_rules)
    list(APPEND sources ${P_MODULE} $<TARGET_OBJECTS:${P_NAME}_rules>)
  endif()
  add_library(${P_NAME} MODULE ${sources})
  target_link_libraries(${P_NAME} PRIVATE censusqa::sdk)
  target_compile_features(${P_NAME} PRIVATE cxx_std_20)
  target_compile_options(${P_NAME} PRIVATE ${common_options})
  _censusqa_plugin_warnings(${P_NAME})
  set_target_properties(${P_NAME} PROPERTIES PREFIX "" OUTPUT_NAME ${P_NAME} CXX_VISIBILITY_PRESET hidden
                                             VISIBILITY_INLINES_HIDDEN ON POSITION_INDEPENDENT_CODE ON)
  if(CENSUSQA_PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${P_NAME} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${CENSUSQA_PLUGIN_OUTPUT_DIRECTORY})
  endif()
endfunction()
