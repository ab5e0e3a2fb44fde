// tests/slow/test_tables_slow.cpp -- every committed table in tables/ regenerates
// from the command in its provenance, byte-identical apart from the four
// volatile provenance lines (version, git_commit, command, date), once on one
// thread and once on the default number of threads.
#include <catch2/catch.hpp>

#include "../support/tables_support.hpp"

using namespace tables_test;

TEST_CASE("every committed table regenerates byte-identically", "[tables][slow]") {
  auto files = committed_tables();
  REQUIRE(files.size() >= 4);
  for (const auto& path : files) {
    Table t = load_table(path);
    const std::string committed = slurp(path);
    for (const char* threads : {"", " --threads 1"}) {
      fs::path out = scratch_dir() / ("regen_" + path.filename().string());
      std::string args = regeneration_args(t.provenance.at("command"), out) + threads;
      RunResult r = run_cli(args);
      INFO(path.filename().string() << ": attnrmt " << args << "\n" << r.err);
      REQUIRE(r.status == 0);
      std::string regenerated = slurp(out);
      CHECK(lines_of(regenerated).size() == lines_of(committed).size());
      CHECK(stable_part(regenerated) == stable_part(committed));
      fs::remove(out);
    }
  }
}
