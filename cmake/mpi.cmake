# cmake/mpi.cmake -- optional MPI build of the CLI (issue 17).
#
# ATTNRMT_MPI (default: ON when an MPI C++ library is found) links the solver
# (attnrmt_solver, hence the CLI) against MPI and defines ATTNRMT_HAVE_MPI, so that `mpirun -n P attnrmt
# validate ...` splits the Monte Carlo work over ranks (solver/mpi_session.*).
# Without MPI the project builds and tests as before (solver/mpi_session.cpp
# then behaves as one rank). Included from the top-level CMakeLists.txt after
# the attnrmt_solver target.
find_package(MPI COMPONENTS CXX QUIET)
option(ATTNRMT_MPI "Build the CLI with MPI (mpirun -n P attnrmt validate ...)" ${MPI_CXX_FOUND})
if(ATTNRMT_MPI)
  if(NOT MPI_CXX_FOUND)
    message(FATAL_ERROR "ATTNRMT_MPI=ON but no MPI C++ library was found (Debian: libopenmpi-dev)")
  endif()
  target_link_libraries(attnrmt_solver PUBLIC MPI::MPI_CXX)
  target_compile_definitions(attnrmt_solver PUBLIC ATTNRMT_HAVE_MPI=1)
  find_program(ATTNRMT_MPIEXEC NAMES mpirun mpiexec HINTS ${MPIEXEC_EXECUTABLE})
  message(STATUS "attnrmt: MPI build (${MPI_CXX_LIBRARY_VERSION_STRING})")
else()
  message(STATUS "attnrmt: no MPI (ATTNRMT_MPI=OFF)")
endif()
