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

# The Epoch layout's scenarios: opened through lib/ as the truth says,
# the wire bytes equal to the truth, the truth showing the scenario.
foreach(s wrap_loss forged one_key plain_link_local two_paths restart
          nonce_reuse mixed key_lines)
  add_test(NAME samples.epoch.${s}
           COMMAND sh ${_it}/samples_epoch.sh ${CMAKE_BINARY_DIR} ${s})
endforeach()
add_test(NAME samples.epoch.bundled_wire
         COMMAND python3 ${_it}/samples_wire.py
                 ${CMAKE_SOURCE_DIR}/samples/data/epoch-wrap-lossy.pcap
                 ${CMAKE_SOURCE_DIR}/samples/data/epoch-wrap-lossy.truth.json)

add_test(NAME samples.reorder_alone
         COMMAND sh ${_it}/samples_reorder.sh ${CMAKE_BINARY_DIR})

# regen.sh writes the bundled samples again, byte for byte: the writer's
# Kri-layout output did not change under the Epoch layout's options.
add_test(NAME samples.bundled_reproducible
         COMMAND sh ${_it}/samples_reproducible.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
