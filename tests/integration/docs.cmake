# The documentation and the installed tree: each man page documents every
# option its program's --help lists; cmake --install puts the tools, the
# man pages and the plugin under DESTDIR / --prefix.
set(_it ${CMAKE_CURRENT_LIST_DIR})
foreach(p analyze keys sample)
  add_test(NAME docs.man_options.pdmv2-${p}
           COMMAND sh ${_it}/docs_man_options.sh $<TARGET_FILE:pdmv2-${p}>
                   ${CMAKE_SOURCE_DIR}/man/pdmv2-${p}.1)
endforeach()

if(TARGET pdmv2-plugin)
  set(_plugin_dir "${PDMV2_PLUGIN_INSTALL_DIR}")
else()
  set(_plugin_dir "")
endif()
add_test(NAME docs.install
         COMMAND sh ${_it}/docs_install.sh ${CMAKE_BINARY_DIR} ${PROJECT_VERSION}
                 ${CMAKE_INSTALL_PREFIX} ${CMAKE_INSTALL_BINDIR}
                 ${CMAKE_INSTALL_MANDIR} "${_plugin_dir}")
