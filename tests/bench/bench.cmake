# Benchmark helper (not a test: speed is measured by tests/bench/run.sh).
add_executable(pcap_count ${CMAKE_CURRENT_LIST_DIR}/pcap_count.c)
target_link_libraries(pcap_count PRIVATE PkgConfig::PCAP)
add_executable(aead_open ${CMAKE_CURRENT_LIST_DIR}/aead_open.c)
target_link_libraries(aead_open PRIVATE pdmv2)
add_executable(walltime ${CMAKE_CURRENT_LIST_DIR}/walltime.c)
