# Finds attnrmt's third-party dependencies and names each as a target, for the
# build (CMakeLists.txt) and for the installed package (attnrmtConfig.cmake):
#
#   attnrmt_find_dependencies(theory [mc])
#
# theory: Boost (headers: Math, Multiprecision) -> Boost::headers,
#         MPFR and GMP (runtime-selected precision; GMP also does the exact rationals,
#         attnrmt/rational.hpp) -> attnrmt_dep::mpfr, attnrmt_dep::gmp
# mc:     Eigen -> Eigen3::Eigen, Spectra -> Spectra::Spectra,
#         OpenBLAS (BLAS + LAPACK: dsyrk, dsyevd) -> attnrmt_dep::openblas,
#         Threads -> Threads::Threads
#
# Nothing fails here: what is missing is listed, with its Debian package, in
# attnrmt_missing_dependencies (empty when everything was found).

# A plain library found by name (and its header, when HEADER is not "")
# as the imported target attnrmt_dep::NAME.
macro(_attnrmt_import_library name header debian_package)
  string(TOUPPER ${name} _attnrmt_upper)
  if(NOT TARGET attnrmt_dep::${name})
    find_library(ATTNRMT_${_attnrmt_upper}_LIBRARY ${name})
    set(_attnrmt_include_ok TRUE)
    if(NOT "${header}" STREQUAL "")
      find_path(ATTNRMT_${_attnrmt_upper}_INCLUDE_DIR ${header})
      if(NOT ATTNRMT_${_attnrmt_upper}_INCLUDE_DIR)
        set(_attnrmt_include_ok FALSE)
      endif()
    endif()
    if(ATTNRMT_${_attnrmt_upper}_LIBRARY AND _attnrmt_include_ok)
      add_library(attnrmt_dep::${name} UNKNOWN IMPORTED)
      set_target_properties(attnrmt_dep::${name} PROPERTIES
        IMPORTED_LOCATION "${ATTNRMT_${_attnrmt_upper}_LIBRARY}")
      if(NOT "${header}" STREQUAL "")
        set_target_properties(attnrmt_dep::${name} PROPERTIES
          INTERFACE_INCLUDE_DIRECTORIES "${ATTNRMT_${_attnrmt_upper}_INCLUDE_DIR}")
      endif()
    else()
      list(APPEND attnrmt_missing_dependencies "${name} (Debian: ${debian_package})")
    endif()
  endif()
endmacro()

macro(attnrmt_find_dependencies)
  set(attnrmt_missing_dependencies "")
  foreach(_attnrmt_component ${ARGN})
    if(_attnrmt_component STREQUAL "theory")
      if(NOT TARGET Boost::headers)
        find_package(Boost 1.74 QUIET)
      endif()
      if(NOT TARGET Boost::headers)
        list(APPEND attnrmt_missing_dependencies "Boost >= 1.74 (Debian: libboost-dev)")
      endif()
      _attnrmt_import_library(mpfr mpfr.h libmpfr-dev)
      _attnrmt_import_library(gmp gmp.h libgmp-dev)
    elseif(_attnrmt_component STREQUAL "mc")
      if(NOT TARGET Eigen3::Eigen)
        find_package(Eigen3 3.3 QUIET NO_MODULE)
      endif()
      if(NOT TARGET Eigen3::Eigen)
        list(APPEND attnrmt_missing_dependencies "Eigen >= 3.3 (Debian: libeigen3-dev)")
      endif()
      if(NOT TARGET Spectra::Spectra)
        find_package(spectra QUIET CONFIG)
      endif()
      if(NOT TARGET Spectra::Spectra)
        list(APPEND attnrmt_missing_dependencies "Spectra (Debian: libspectra-dev)")
      endif()
      _attnrmt_import_library(openblas "" libopenblas-dev)
      if(NOT TARGET Threads::Threads)
        set(THREADS_PREFER_PTHREAD_FLAG ON)
        find_package(Threads QUIET)
      endif()
      if(NOT TARGET Threads::Threads)
        list(APPEND attnrmt_missing_dependencies "Threads (POSIX threads)")
      endif()
    else()
      list(APPEND attnrmt_missing_dependencies "unknown component '${_attnrmt_component}' (valid: theory, mc)")
    endif()
  endforeach()
endmacro()
