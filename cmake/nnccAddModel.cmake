# nncc_add_model(TARGET name GRAPH model.graph|model.mlir
#                [WEIGHTS w.safetensors|w.npz] [TARGET_ARCH halide-target]
#                [OPTIONS nncc-option...])
#
# Compiles a model with nncc at build time into a library target `name`:
# link it, and include "name.h" (the header nncc writes, on the target's
# include path). nncc runs again when the model, its weights or nncc itself
# change, and at no other time.
include_guard(GLOBAL)

function(nncc_add_model)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "TARGET;GRAPH;WEIGHTS;TARGET_ARCH"
                        "OPTIONS")
  if(NOT ARG_TARGET OR NOT ARG_GRAPH)
    message(FATAL_ERROR "nncc_add_model: TARGET and GRAPH are required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
            "nncc_add_model: unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(graph "${ARG_GRAPH}" ABSOLUTE
                         BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/nncc/${ARG_TARGET}")
  set(object "${dir}/${ARG_TARGET}.o")
  set(header "${dir}/${ARG_TARGET}.h")
  set(args "${graph}" -o "${object}" --header "${header}")
  set(depends "${graph}" nncc::nncc)
  if(ARG_WEIGHTS)
    get_filename_component(weights "${ARG_WEIGHTS}" ABSOLUTE
                           BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND args --weights "${weights}")
    list(APPEND depends "${weights}")
  endif()
  if(ARG_TARGET_ARCH)
    list(APPEND args --target "${ARG_TARGET_ARCH}")
  endif()
  file(MAKE_DIRECTORY "${dir}")
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND nncc::nncc ${args} ${ARG_OPTIONS}
    DEPENDS ${depends}
    COMMENT "Compiling model ${ARG_GRAPH} with nncc"
    VERBATIM)
  set_source_files_properties("${object}" PROPERTIES EXTERNAL_OBJECT TRUE
                                                     GENERATED TRUE)
  add_library(${ARG_TARGET} STATIC "${object}" "${header}")
  set_target_properties(${ARG_TARGET} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${ARG_TARGET} INTERFACE "${dir}")
  find_package(Threads REQUIRED)
  target_link_libraries(${ARG_TARGET} INTERFACE Threads::Threads
                        ${CMAKE_DL_LIBS} m)
endfunction()
