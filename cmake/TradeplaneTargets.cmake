# Helpers that give every project target the same warnings and layout.

add_library(tradeplane_warnings INTERFACE)
target_compile_options(tradeplane_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Wno-missing-field-initializers
  $<$<BOOL:${TRADEPLANE_WERROR}>:-Werror>)

# tradeplane_library(NAME [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# Sources are libs/NAME/src/*.cpp; the public face is libs/NAME/include.
function(tradeplane_library name)
  cmake_parse_arguments(ARG "" "" "PUBLIC_DEPS;PRIVATE_DEPS;SOURCES" ${ARGN})
  if(ARG_SOURCES)
    set(sources ${ARG_SOURCES})
  else()
    file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp")
  endif()
  if(NOT sources)
    # Headers only, so far.
    add_library(tradeplane_${name} INTERFACE)
    target_include_directories(tradeplane_${name} INTERFACE "${CMAKE_CURRENT_SOURCE_DIR}/include")
    target_link_libraries(tradeplane_${name} INTERFACE ${ARG_PUBLIC_DEPS})
    add_library(tradeplane::${name} ALIAS tradeplane_${name})
    return()
  endif()
  add_library(tradeplane_${name} STATIC ${sources})
  add_library(tradeplane::${name} ALIAS tradeplane_${name})
  target_include_directories(tradeplane_${name}
    PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include"
    PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")
  target_link_libraries(tradeplane_${name}
    PUBLIC ${ARG_PUBLIC_DEPS}
    PRIVATE tradeplane_warnings ${ARG_PRIVATE_DEPS})
endfunction()

# tradeplane_executable(NAME SOURCES ... DEPS ... [INSTALL])
# INSTALL: a binary users run (services, tools): installed to bin/.
function(tradeplane_executable name)
  cmake_parse_arguments(ARG "INSTALL" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE tradeplane_warnings ${ARG_DEPS})
  if(ARG_INSTALL)
    install(TARGETS ${name} RUNTIME DESTINATION bin)
  endif()
endfunction()

# tradeplane_test(NAME SOURCES ... DEPS ... [LABELS ...] [PG])
# One Catch2 binary; each TEST_CASE becomes a ctest test. PG: the tests use
# the PostgreSQL cluster that the `pg` ctest fixture starts once for the run
# (tests/CMakeLists.txt); each test makes its own database in it.
function(tradeplane_test name)
  cmake_parse_arguments(ARG "PG" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE tradeplane_warnings tradeplane_test_support
                                        Catch2::Catch2WithMain ${ARG_DEPS})
  target_compile_definitions(${name} PRIVATE
    TRADEPLANE_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    TRADEPLANE_BINARY_DIR="${CMAKE_BINARY_DIR}")
  set(labels ${ARG_LABELS})
  if(NOT labels)
    set(labels unit)
  endif()
  set(extra_properties)
  if(ARG_PG)
    set(extra_properties FIXTURES_REQUIRED pg
        ENVIRONMENT "TRADEPLANE_TEST_PG_DIR=${TRADEPLANE_TEST_PG_DIR}")
  endif()
  catch_discover_tests(${name}
    TEST_PREFIX "${name}: "
    PROPERTIES LABELS "${labels}" TIMEOUT 300 ${extra_properties})
endfunction()

# add_subdirectory for every child of the current directory that has a
# CMakeLists.txt, so adding a library, service or test suite needs no edit
# of a shared list (and re-globs when one appears).
function(tradeplane_add_children)
  file(GLOB children CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*/CMakeLists.txt")
  list(SORT children)
  foreach(child ${children})
    get_filename_component(dir "${child}" DIRECTORY)
    add_subdirectory("${dir}")
  endforeach()
endfunction()
