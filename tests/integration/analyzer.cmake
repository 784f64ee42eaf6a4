# pdmv2-analyze against the sample writer's ground truth.
set(_it ${CMAKE_CURRENT_LIST_DIR})

# name | pdmv2-sample arguments
set(PDMV2_ANALYZER_SCENARIOS
  "rotation|--udp 2 -n 40 -r 10 --burst 2"
  "loss_reorder|--udp 3 -n 60 -r 16 --burst 3 --loss 0.08 --loss-after 0.05 --reorder 0.1 --seed 7"
  "mid_flow|--udp 2 --tcp 1 -n 40 -r 8 --skip 23 --seed 11"
  "mixed_versions|-m mixed --udp 3 --tcp 2 --icmp 1 -n 25 -r 9 -a mixed --seed 3"
  "pdm_v1|-m pdm --udp 2 --tcp 1 -n 30 --seed 5"
  "plain_v2|-m plain --udp 2 --icmp 1 -n 30 --seed 6"
  "link_local_icmp|--link-local --icmp 2 --udp 1 -n 30 -r 12 --seed 8"
  "forged|--udp 2 -n 30 -r 10 --forge 4 --seed 9"
  "missing_key|--udp 3 -n 20 -r 10 --missing-key --seed 10"
  "nonce_reuse|--udp 1 -n 30 -r 12 --prseq-reuse --seed 12"
  "gp_reset|--udp 2 --clients 1 -n 40 --restart --background 3 --seed 13"
  "vlan_pcapng|-l vlan -F pcapng --udp 2 --tcp 1 -n 20 -r 6 --seed 14"
  "raw_ns|-l raw -F pcap-ns --udp 2 -n 20 -r 6 --seed 15"
  "sll_hbh_padn|-l sll --hop-by-hop --padn --udp 2 --tcp 1 -n 20 -r 6 --seed 16"
  "chacha_many_nodes|-a chacha20poly1305 --udp 6 --clients 3 --servers 2 -n 20 -r 5 --background 2 --seed 17"
  "aes256_lost_phases|-a aes256gcm --udp 1 -n 200 -r 3 --loss 0.35 --seed 18"
  "epoch_wrap_loss|--layout epoch --udp 2 --tcp 1 -n 60 -r 16 --psntp-start 4294967270 --loss 0.05 --reorder 0.05 --seed 19"
  "epoch_forged|--layout epoch --udp 2 -n 30 -r 10 --forge 4 --seed 20"
  "epoch_one_key_line|--layout epoch --udp 2 -n 30 -r 10 --key-lines one --seed 21"
  "epoch_key_lines|--layout epoch -a mixed --udp 3 -n 150 -r 7 --key-lines keys --seed 22"
  "kri_key_lines|-a mixed --udp 2 --tcp 1 -n 150 -r 7 --key-lines keys --seed 28"
  "epoch_plain_link_local|--layout epoch -m plain --link-local --icmp 1 --udp 1 -n 30 --seed 23"
  "epoch_two_paths|--layout epoch --udp 4 --clients 1 -n 30 -r 10 --path-delay 3000 --seed 24"
  "epoch_restart|--layout epoch --udp 2 --clients 1 -n 40 --restart --background 3 --seed 25"
  "epoch_nonce_reuse|--layout epoch --udp 1 -n 30 -r 12 --prseq-reuse --seed 26"
  "layouts_mixed|--layout mixed -m mixed --udp 4 --tcp 2 -n 25 -r 9 --seed 27"
)
foreach(s ${PDMV2_ANALYZER_SCENARIOS})
  string(FIND "${s}" "|" bar)
  string(SUBSTRING "${s}" 0 ${bar} name)
  math(EXPR start "${bar} + 1")
  string(SUBSTRING "${s}" ${start} -1 args)
  separate_arguments(args UNIX_COMMAND "${args}")
  add_test(NAME analyzer.truth.${name}
           COMMAND sh ${_it}/analyzer_scenario.sh ${CMAKE_BINARY_DIR} ${name} ${args})
endforeach()

# Every bundled sample against its committed truth.
file(GLOB _bundled CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/samples/data/*.truth.json)
foreach(t ${_bundled})
  get_filename_component(n ${t} NAME)
  string(REPLACE ".truth.json" "" n ${n})
  add_test(NAME analyzer.bundled.${n}
           COMMAND sh ${_it}/analyzer_bundled.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}/samples/data ${n})
endforeach()

add_test(NAME analyzer.bad_and_unusual_input
         COMMAND sh ${_it}/analyzer_inputs.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
add_test(NAME analyzer.rfc8250_equals_tshark
         COMMAND sh ${_it}/analyzer_crosscheck.sh ${CMAKE_BINARY_DIR})
# ASan's quarantine holds freed memory, TSan shadows it: RSS says
# nothing there.
if(NOT PDMV2_SANITIZE AND NOT PDMV2_TSAN)
  add_test(NAME analyzer.memory_follows_flows_not_packets
           COMMAND sh ${_it}/analyzer_memory.sh ${CMAKE_BINARY_DIR})
endif()
add_test(NAME analyzer.full_tmpdir_keeps_what_was_stored
         COMMAND sh ${_it}/analyzer_tmpdir_full.sh ${CMAKE_BINARY_DIR})
add_test(NAME analyzer.hostile_input_no_wrong_answers
         COMMAND sh ${_it}/analyzer_hostile.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
