// solver/main.cpp -- `attnrmt`: one command line through cli::dispatch
// (solver/cli/dispatch.hpp), the same path the Python module takes.
//
// Exit codes: 0 success, 1 a numerical outcome or check failed, 2 bad input.
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"

int main(int argc, char** argv) {
  attnrmt::cli::set_invocation(argc, argv);
  return attnrmt::cli::dispatch(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                std::cerr);
}
