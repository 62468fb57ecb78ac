# Desktop integration files and the Debian package (cpack -G DEB in the build folder).
install(FILES "${CMAKE_CURRENT_LIST_DIR}/io.github.switchyard.Switchyard.desktop"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
install(FILES "${CMAKE_CURRENT_LIST_DIR}/io.github.switchyard.Switchyard.metainfo.xml"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
install(FILES "${PROJECT_SOURCE_DIR}/resources/icons/switchyard.svg"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
        RENAME io.github.switchyard.Switchyard.svg)
# The bundled price catalog derives from LiteLLM's (MIT); its notice travels with the binary.
install(FILES "${PROJECT_SOURCE_DIR}/resources/prices/LICENSE-litellm.txt" DESTINATION "${CMAKE_INSTALL_DOCDIR}")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME switchyard)
set(CPACK_PACKAGE_CONTACT "Switchyard developers <dev@switchyard.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded at run time (plugins / dlopen), so shlibdeps cannot see them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libsecret-1-0")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
include(CPack)
