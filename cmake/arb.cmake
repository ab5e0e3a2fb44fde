# cmake/arb.cmake -- Arb (ball arithmetic, Debian libflint-arb-dev 2.23) for the
# certified engine include/attnrmt/ball/.
#
# Defines the INTERFACE target attnrmt_ball (the header-only library attnrmt
# plus Arb and FLINT). Only code that includes attnrmt/ball/*.hpp needs it; the
# plain library target attnrmt does not depend on Arb.
#
# Debian installs Arb 2.23's headers directly under /usr/include (arb.h, acb.h,
# ...) and FLINT's under /usr/include/flint; the library is libflint-arb.
find_path(ARB_INCLUDE_DIR arb.h PATH_SUFFIXES flint arb REQUIRED)
find_path(FLINT_INCLUDE_DIR flint/flint.h REQUIRED)
find_library(ARB_LIBRARY NAMES flint-arb arb REQUIRED)
find_library(FLINT_LIBRARY NAMES flint REQUIRED)
# GSL: double-precision cubic roots seeding the ball grid (ball/grid.hpp); the
# only GSL user in the library, so attnrmt::mc does not link it.
if(NOT TARGET GSL::gsl)
  find_package(GSL REQUIRED)
endif()

add_library(attnrmt_ball INTERFACE)
target_include_directories(attnrmt_ball SYSTEM INTERFACE ${ARB_INCLUDE_DIR} ${FLINT_INCLUDE_DIR})
target_link_libraries(attnrmt_ball INTERFACE attnrmt_theory GSL::gsl ${ARB_LIBRARY} ${FLINT_LIBRARY})
