# libFuzzer harnesses.  Every build compiles each harness with a replay
# driver and ctest runs it over the committed corpus and crash
# regressions (tests/fuzz/corpus/<name>, tests/fuzz/regressions/<name>),
# so the sanitizer build replays them too.  With -DPDMV2_FUZZ=ON (clang)
# the real fuzzers are built as well and `cmake --build . --target fuzz`
# runs each for PDMV2_FUZZ_SECONDS.
set(PDMV2_FUZZ_HARNESSES walk keylog open analyzer capture)
set(PDMV2_FUZZ_SECONDS 60 CACHE STRING "Seconds per harness for the fuzz target")
set(_fuzz_dir ${CMAKE_CURRENT_LIST_DIR})

foreach(h ${PDMV2_FUZZ_HARNESSES})
  add_executable(replay_${h} ${_fuzz_dir}/fuzz_${h}.c ${_fuzz_dir}/replay_main.c)
  target_link_libraries(replay_${h} PRIVATE pdmv2)
  if(h STREQUAL "analyzer" OR h STREQUAL "capture")
    target_link_libraries(replay_${h} PRIVATE pdmv2-analyzer-core)
  endif()
  set(_inputs ${_fuzz_dir}/corpus/${h})
  if(EXISTS ${_fuzz_dir}/regressions/${h})
    list(APPEND _inputs ${_fuzz_dir}/regressions/${h})
  endif()
  add_test(NAME fuzz_replay.${h} COMMAND replay_${h} ${_inputs})
endforeach()

if(PDMV2_FUZZ)
  set(_fuzz_cmds)
  foreach(h ${PDMV2_FUZZ_HARNESSES})
    add_executable(fuzz_${h} ${_fuzz_dir}/fuzz_${h}.c)
    target_link_libraries(fuzz_${h} PRIVATE pdmv2)
    if(h STREQUAL "analyzer" OR h STREQUAL "capture")
      target_link_libraries(fuzz_${h} PRIVATE pdmv2-analyzer-core)
    endif()
    target_link_options(fuzz_${h} PRIVATE -fsanitize=fuzzer)
    list(APPEND _fuzz_cmds
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fuzz-work/${h}
      COMMAND $<TARGET_FILE:fuzz_${h}> -max_total_time=${PDMV2_FUZZ_SECONDS}
              -artifact_prefix=${CMAKE_BINARY_DIR}/fuzz-work/${h}-
              ${CMAKE_BINARY_DIR}/fuzz-work/${h} ${_fuzz_dir}/corpus/${h})
  endforeach()
  add_custom_target(fuzz ${_fuzz_cmds} USES_TERMINAL
    COMMENT "Fuzzing each harness for ${PDMV2_FUZZ_SECONDS} s")
endif()
