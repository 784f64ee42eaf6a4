# Bit-flipped captures through pdmv2-analyze (and tshark with the plugin
# where it is built), and hostile key logs.
if(TARGET pdmv2-plugin)
  add_test(NAME robust.mutated_captures_and_hostile_keylogs
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/robust_mutated.sh ${CMAKE_BINARY_DIR}
                   ${CMAKE_SOURCE_DIR} $<TARGET_FILE:pdmv2-plugin>)
else()
  add_test(NAME robust.mutated_captures_and_hostile_keylogs
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/robust_mutated.sh ${CMAKE_BINARY_DIR}
                   ${CMAKE_SOURCE_DIR})
endif()
