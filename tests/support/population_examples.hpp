// tests/support/population_examples.hpp -- the finite populations H the
// population tests share (docs/theory.md §6's examples), with exact atoms.
#pragma once

#include <string>

#include "attnrmt/population.hpp"
#include "attnrmt/rational.hpp"

namespace attnrmt_test {

inline attnrmt::Rational rational(const std::string& s) {
  return attnrmt::parse_rational(s, "test");
}
/// H = 0.5 delta_{1/2} + 0.5 delta_{3/2} (docs/theory.md §6's two-atom example).
inline attnrmt::PopulationSpec two_atoms() {
  return attnrmt::PopulationSpec::from_atoms({rational("1/2"), rational("3/2")},
                                             {rational("1/2"), rational("1/2")});
}
/// The split-support example: atoms 1/10, 1, 10 with weights 1/2, 9/20, 1/20.
inline attnrmt::PopulationSpec split_three() {
  return attnrmt::PopulationSpec::from_atoms({rational("1/10"), rational("1"), rational("10")},
                                             {rational("1/2"), rational("9/20"), rational("1/20")});
}
/// Atoms 1/3, 1, 2 with weights 1/4, 1/2, 1/4.
inline attnrmt::PopulationSpec three_atoms() {
  return attnrmt::PopulationSpec::from_atoms({rational("1/3"), rational("1"), rational("2")},
                                             {rational("1/4"), rational("1/2"), rational("1/4")});
}

}  // namespace attnrmt_test
