# caselink_stage(): one static library per pipeline stage, caselink_<name>,
# with the stages it builds on named, so the build knows the layering
# (src/README.md) and tests/layering checks the code keeps to it.
#
#   caselink_stage(<name>
#     [SOURCES <file>...]      default: every .cc in src/<name>/
#     [HEADERS <header>...]    its public headers (caselink/x.h) and private
#                              ones (<dir>/x.h); default private: src/<name>/*.h
#     [DEPS <stage>...]        stages whose code it calls (linked)
#     [HEADER_DEPS <stage>...] stages whose types it names, never calls:
#                              row types the store's interface carries
#     [LINK <target>...]       third-party libraries its public headers need
#     [LINK_PRIVATE <target>...])  and those only its code needs
#
# Records each stage for the layering check (caselink_write_layering).
function(caselink_stage name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;HEADERS;DEPS;HEADER_DEPS;LINK;LINK_PRIVATE")
  set(src ${PROJECT_SOURCE_DIR}/src)
  if(NOT arg_SOURCES)
    file(GLOB arg_SOURCES CONFIGURE_DEPENDS ${src}/${name}/*.cc)
    file(GLOB private_headers CONFIGURE_DEPENDS RELATIVE ${src} ${src}/${name}/*.h)
    list(APPEND arg_HEADERS ${private_headers})
  endif()
  set(target caselink_${name})
  add_library(${target} STATIC ${arg_SOURCES})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR}/include PRIVATE ${src})
  target_compile_options(${target} PRIVATE ${CASELINK_WARNINGS})
  list(TRANSFORM arg_DEPS PREPEND caselink_ OUTPUT_VARIABLE dep_targets)
  target_link_libraries(${target} PUBLIC ${dep_targets} ${arg_LINK} PRIVATE ${arg_LINK_PRIVATE})

  set_property(GLOBAL APPEND PROPERTY CASELINK_STAGES ${name})
  set_property(GLOBAL APPEND PROPERTY CASELINK_ENGINE_SOURCES ${arg_SOURCES})
  set_property(GLOBAL APPEND PROPERTY CASELINK_EXTERNAL_LIBS ${arg_LINK} ${arg_LINK_PRIVATE})
  list(TRANSFORM arg_SOURCES REPLACE "^${src}/" "")
  string(JOIN "," sources ${arg_SOURCES})
  string(JOIN "," headers ${arg_HEADERS})
  string(JOIN "," deps ${arg_DEPS})
  string(JOIN "," header_deps ${arg_HEADER_DEPS})
  set_property(GLOBAL APPEND_STRING PROPERTY CASELINK_LAYERING
    "${name}\t$<TARGET_FILE:${target}>\t${deps}\t${header_deps}\t${headers}\t${sources}\n")
endfunction()

# Writes what caselink_stage() recorded to <file>, one stage a line:
# name, archive, deps, header deps, headers, sources (tab-separated, lists
# comma-separated), for tests/layering/check_layering.py.
function(caselink_write_layering file)
  get_property(table GLOBAL PROPERTY CASELINK_LAYERING)
  file(GENERATE OUTPUT ${file} CONTENT "${table}")
endfunction()
