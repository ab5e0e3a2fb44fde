# Test "consumer_package": installs attnrmt's development component (headers
# and CMake package) from BUILD_DIR into a temporary prefix, then configures,
# builds and runs the project in tests/consumer against that prefix only.
# cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -DVERSION=... -DCXX=... [-DLAUNCHER=...] -P run.cmake
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run_step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer_package: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  message(STATUS "consumer_package: ${what}: ok")
endfunction()

run_step("install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --component attnrmt_dev
         --prefix ${prefix})
if(NOT EXISTS ${prefix}/include/attnrmt/version.hpp)
  message(FATAL_ERROR "consumer_package: install did not write include/attnrmt/version.hpp")
endif()
set(launcher "")
if(LAUNCHER)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# CMAKE_FIND_USE_PACKAGE_REGISTRY/SYSTEM_PACKAGE_REGISTRY off: only the prefix can satisfy
# find_package(attnrmt).
run_step("configure" ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/consumer -B ${WORK_DIR}/build
         -DCMAKE_CXX_COMPILER=${CXX} ${launcher} -DCMAKE_BUILD_TYPE=
         -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
         -DEXPECTED_VERSION=${VERSION})
run_step("build" ${CMAKE_COMMAND} --build ${WORK_DIR}/build)
execute_process(COMMAND ${WORK_DIR}/build/use_theory RESULT_VARIABLE rc_theory OUTPUT_VARIABLE out_theory)
execute_process(COMMAND ${WORK_DIR}/build/use_mc RESULT_VARIABLE rc_mc OUTPUT_VARIABLE out_mc)
message(STATUS "use_theory (exit ${rc_theory}):\n${out_theory}use_mc (exit ${rc_mc}):\n${out_mc}")
if(NOT rc_theory EQUAL 0 OR NOT rc_mc EQUAL 0)
  message(FATAL_ERROR "consumer_package: use_theory exit ${rc_theory}, use_mc exit ${rc_mc}")
endif()
file(REMOVE_RECURSE ${WORK_DIR})
