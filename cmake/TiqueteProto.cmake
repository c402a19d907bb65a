# Compiles every .proto under proto/ once, into one static library (tiquete_proto).
# Generated headers are SYSTEM includes so their warnings never reach our code.
function(tiquete_proto_library target)
  cmake_parse_arguments(ARG "" "ROOT" "PROTOS;EXTRA_ROOTS" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/gen)
  file(MAKE_DIRECTORY ${out})
  set(srcs)
  set(includes -I ${ARG_ROOT})
  foreach(root ${ARG_EXTRA_ROOTS})
    list(APPEND includes -I ${root})
  endforeach()
  foreach(proto ${ARG_PROTOS})
    set(proto_root ${ARG_ROOT})
    foreach(root ${ARG_EXTRA_ROOTS})
      string(FIND ${proto} ${root}/ at)
      if(at EQUAL 0)
        set(proto_root ${root})
      endif()
    endforeach()
    file(RELATIVE_PATH rel ${proto_root} ${proto})
    string(REGEX REPLACE "\\.proto$" "" base ${rel})
    set(gen ${out}/${base}.pb.cc ${out}/${base}.pb.h)
    # Only protos that declare a service get gRPC stubs.
    file(STRINGS ${proto} has_service REGEX "^service ")
    set(grpc_args)
    if(has_service)
      list(APPEND gen ${out}/${base}.grpc.pb.cc ${out}/${base}.grpc.pb.h)
      set(grpc_args --grpc_out=${out} --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${gen}
      COMMAND protobuf::protoc ${includes} --cpp_out=${out} ${grpc_args} ${proto}
      DEPENDS ${proto} protobuf::protoc gRPC::grpc_cpp_plugin
      COMMENT "protoc ${rel}"
      VERBATIM)
    list(APPEND srcs ${gen})
  endforeach()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} SYSTEM PUBLIC ${out})
  target_link_libraries(${target} PUBLIC gRPC::grpc++ protobuf::libprotobuf)
  # Generated code is not ours to warn about.
  target_compile_options(${target} PRIVATE -w)
endfunction()
