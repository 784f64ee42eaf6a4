# The sample writer's captures: valid for tshark, and every sealed
# option opens to the plaintext its truth records.
set(_it ${CMAKE_CURRENT_LIST_DIR})
add_executable(samples_roundtrip ${_it}/samples_roundtrip.c)
target_link_libraries(samples_roundtrip PRIVATE pdmv2 PkgConfig::PCAP PkgConfig::JSONC PkgConfig::GLIB)

add_test(NAME samples.tshark_reads_every_format
         COMMAND sh ${_it}/samples_tshark.sh ${CMAKE_BINARY_DIR})
file(GLOB _bundled CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/samples/data/*.truth.json)
foreach(t ${_bundled})
  get_filename_component(n ${t} NAME)
  string(REPLACE ".truth.json" "" n ${n})
  file(GLOB _cap ${CMAKE_SOURCE_DIR}/samples/data/${n}.pcap*)
  add_test(NAME samples.roundtrip.${n}
           COMMAND samples_roundtrip ${_cap} ${CMAKE_SOURCE_DIR}/samples/data/${n}.keylog ${t})
endforeach()
