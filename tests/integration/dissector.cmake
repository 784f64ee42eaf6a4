# Real tshark with the built plugin loaded (run unprivileged, see
# dissector_tshark.sh), against the bundled samples' truth, against
# tshark without the plugin (dissector_invisible.py), against
# pdmv2-analyze's report and the truth (dissector_flows.py); the Epoch
# layout on captures made from the spec's vectors (dissector_epoch.py);
# the flows table registered where Wireshark's GUI finds it, by a
# program that loads the plugin into libwireshark (dissector_stat_table.c).
if(TARGET pdmv2-plugin)
  set(_it ${CMAKE_CURRENT_LIST_DIR})
  set(_so $<TARGET_FILE:pdmv2-plugin>)
  file(GLOB _bundled CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/samples/data/*.truth.json)
  foreach(t ${_bundled})
    get_filename_component(n ${t} NAME)
    string(REPLACE ".truth.json" "" n ${n})
    file(GLOB _cap ${CMAKE_SOURCE_DIR}/samples/data/${n}.pcap*)
    add_test(NAME dissector.truth.${n}
             COMMAND python3 ${_it}/dissector_check.py ${_it}/dissector_tshark.sh ${_so}
                     $<TARGET_FILE:pdmv2-analyze> ${_cap}
                     ${CMAKE_SOURCE_DIR}/samples/data/${n}.keylog ${t})
    add_test(NAME dissector.invisible.${n}
             COMMAND python3 ${_it}/dissector_invisible.py ${_it}/dissector_tshark.sh ${_so}
                     ${_cap} ${CMAKE_SOURCE_DIR}/samples/data/${n}.keylog)
    add_test(NAME dissector.flows_tap.${n}
             COMMAND python3 ${_it}/dissector_flows.py ${_it}/dissector_tshark.sh ${_so}
                     $<TARGET_FILE:pdmv2-analyze> ${_cap}
                     ${CMAKE_SOURCE_DIR}/samples/data/${n}.keylog ${t})
  endforeach()
  add_test(NAME dissector.fragments_passes_missing_keylog
           COMMAND python3 ${_it}/dissector_misc.py ${_it}/dissector_tshark.sh ${_so}
                   ${CMAKE_SOURCE_DIR}/samples/data/mid-flow.pcap
                   ${CMAKE_SOURCE_DIR}/samples/data/mid-flow.keylog)
  add_test(NAME dissector.epoch_vectors_bad_input
           COMMAND python3 ${_it}/dissector_epoch.py ${_it}/dissector_tshark.sh ${_so}
                   ${CMAKE_SOURCE_DIR}/doc/spec/vectors/pdmv2-epoch.json)
  add_test(NAME dissector.kri_window_clamped
           COMMAND sh ${_it}/dissector_kri_window.sh ${_it}/dissector_tshark.sh ${_so}
                   ${CMAKE_SOURCE_DIR}/samples/data/clean-rotation.pcap)
  add_test(NAME dissector.plugin_loads
           COMMAND sh -c "sh '${_it}/dissector_tshark.sh' '${_so}' -G plugins | grep -q 'pdmv2.so.*dissector'")
  add_executable(dissector_stat_table ${_it}/dissector_stat_table.c)
  # wtap_init() is libwiretap's, which wireshark.pc leaves out.
  find_library(PDMV2_WIRETAP_LIB wiretap REQUIRED)
  target_link_libraries(dissector_stat_table PRIVATE PkgConfig::WIRESHARK
                        ${PDMV2_WIRETAP_LIB} ${CMAKE_DL_LIBS})
  # Wireshark's headers are not -Wshadow/-Wstrict-prototypes clean.
  target_compile_options(dissector_stat_table PRIVATE -Wno-shadow -Wno-strict-prototypes)
  add_test(NAME dissector.stat_table_in_statistics_menu
           COMMAND dissector_stat_table ${_so})
  add_test(NAME dissector.stats_listed
           COMMAND sh -c "sh '${_it}/dissector_tshark.sh' '${_so}' -z help 2>&1 | grep -qx ' *pdmv2,flows'")
endif()
