# cmake --build build --target install-plugin-user: copies pdmv2.so into
# the personal plugin folder of whoever runs it ($HOME read now, at build
# time, not when the project was configured).
# Called with -DPLUGIN=<path of pdmv2.so> -DWS_MAJMIN=<Wireshark MAJOR.MINOR>.
if(NOT DEFINED ENV{HOME} OR "$ENV{HOME}" STREQUAL "")
  message(FATAL_ERROR "install-plugin-user: HOME is not set")
endif()
set(dir "$ENV{HOME}/.local/lib/wireshark/plugins/${WS_MAJMIN}/epan")
file(MAKE_DIRECTORY "${dir}")
file(COPY "${PLUGIN}" DESTINATION "${dir}")
message(STATUS "Installed pdmv2.so into ${dir}")
execute_process(COMMAND id -u OUTPUT_VARIABLE uid OUTPUT_STRIP_TRAILING_WHITESPACE)
if(uid STREQUAL "0")
  message(WARNING "tshark and Wireshark run as root ignore personal plugin "
          "folders: run them as a normal user, or install for everyone "
          "with cmake --install build --prefix /usr")
else()
  message(STATUS "Note: tshark run as root ignores personal plugin folders")
endif()
