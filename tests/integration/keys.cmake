# pdmv2-keys: registration round trip, OpenSSL interop, end-to-end
# decryption, least-privilege session keys, bad input.
add_test(NAME keys.end_to_end
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/keys_e2e.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
add_test(NAME keys.keylog_files
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/keys_keylog_files.sh ${CMAKE_BINARY_DIR})
