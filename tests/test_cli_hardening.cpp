// CLI hardening (issue 11, classes 3, 5-10, 12, 13, 16; issue 14 "Data
// interchange"): one test case per class, each running the built binary on
// the reproducer and on a variant of it.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "attnrmt/precision.hpp"
#include "support/cli_runner.hpp"

using attnrmt_test::parse_csv;
using attnrmt_test::run_cli;
using attnrmt_test::slurp;

namespace {

namespace fs = std::filesystem;

// A fresh, empty scratch directory for one test case.
std::string scratch(const std::string& name) {
  std::string dir = "/tmp/attnrmt_hard_" + std::to_string(::getpid()) + "_" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void put(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}

// The error is one line on stderr (ends in the only newline).
bool one_line(const std::string& err) {
  return !err.empty() && err.find('\n') == err.size() - 1;
}

// The file names in `dir`.
std::vector<std::string> listing(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("class 3: every stray token is a usage error, for every command", "[cli][hardening]") {
  // The reproducer: -rho 5 was ignored and the rho = 1 answer printed.
  for (const char* stray : {"-rho 5", "\"$(printf '\\342\\200\\224rho')\" 5", "extra", "--"}) {
    auto r = run_cli(std::string("thresholds --delta 1/2 --gamma 1/2 ") + stray);
    INFO(stray << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("unexpected argument") != std::string::npos);
    CHECK(one_line(r.err));
  }
  // Every command rejects a stray word (check and plot take one positional).
  for (const char* cmd :
       {"bulk --delta 1 --gamma 1 --x 1", "edges --delta 1 --gamma 1",
        "moments --delta 1 --gamma 1 --order 2", "cauchy --delta 1 --gamma 1 --z i",
        "outlier --delta 1 --gamma 1 --alpha-over-kappa 2", "weights --T 4 --pooling mean",
        "compare --T 4 --pooling mean,causal",
        "table --quantities tau1 --set delta=1 --set gamma=1",
        "integrate --delta 1 --gamma 1 --f power:2",
        "validate --delta 1 --gamma 1 --alpha-over-kappa 2 --d 50", "check a.csv",
        "plot density"}) {
    auto r = run_cli(std::string(cmd) + " stray1 stray2");
    INFO(cmd << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unexpected argument") != std::string::npos);
  }
  // Options accepted but not used in the mode: rejected, never dropped.
  auto r = run_cli("table --quantities tau1 --set delta=1/2 --set gamma=1/2 --set T=4");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("'T' is not used") != std::string::npos);
  // (precision writes its report itself, so the generic check in main rejects
  // the option after the report; cmd_integrate.cpp should use write_output.)
  r = run_cli("precision --quantity tau2 --delta 1/2 --gamma 1/2 --alpha-over-kappa abc");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--alpha-over-kappa") != std::string::npos);
}

TEST_CASE("class 5: no user string can execute anything through gnuplot", "[cli][hardening]") {
  const std::string dir = scratch("pwned");
  // The reproducer: a newline in --mark ended the label and started `!touch`.
  auto r = run_cli("plot phase --gamma 1/2 --mark \"$(printf 'a\\n!touch " + dir +
                   "/PWNED\\nb=1.8')\" --out " + dir + "/ph.png --no-render");
  CHECK(r.exit_code == 2);
  CHECK(!fs::exists(dir + "/PWNED"));
  // Backquotes and quotes in a label are inert: the script is drawn by the real
  // gnuplot and nothing runs.
  r = run_cli("plot phase --gamma 1/2 --mark \"a'\\`touch " + dir + "/PWNED2\\`'=1.8\" --out " +
              dir + "/ph2.svg");
  INFO(r.err);
  CHECK(!fs::exists(dir + "/PWNED2"));
  if (r.exit_code == 0) {
    // Redrawing the saved script runs nothing either.
    std::system(("cd " + dir + " && timeout 60 gnuplot ph2.gp >/dev/null 2>&1").c_str());
    CHECK(!fs::exists(dir + "/PWNED2"));
    std::string gp = slurp(dir + "/ph2.gp");
    // Every line that mentions the label keeps it inside one single-quoted literal.
    CHECK(gp.find("'a''`touch") != std::string::npos);
  }
  // A path with a newline is refused before anything is written.
  r = run_cli("plot phase --gamma 1/2 --out \"$(printf '" + dir + "/x\\n!touch " + dir +
              "/P3.png')\"");
  CHECK(r.exit_code == 2);
  CHECK(!fs::exists(dir + "/P3.png"));
  fs::remove_all(dir);
}

TEST_CASE("class 6: errors never quote file contents", "[cli][hardening]") {
  const std::string dir = scratch("disclose");
  const std::string secret = "root:$y$j9T$SECRETHASH:19000:0:99999:7:::";
  put(dir + "/secret", secret + "\n\x1b[31mred\n");
  put(dir + "/rows.csv",
      "delta,gamma,T,pooling,corr,scheme_alpha_over_kappa\n1/2,1/2,4,mean,file:" + dir +
          "/secret,1\n");
  auto r = run_cli("check " + dir + "/rows.csv");
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("SECRETHASH") == std::string::npos);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find("line 1") != std::string::npos);  // says where, not what
  r = run_cli("weights --T 4 --pooling file:" + dir + "/secret");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("SECRETHASH") == std::string::npos);
  // A long user value is quoted as a short excerpt only.
  r = run_cli("thresholds --delta " + std::string(400, '7') + "x --gamma 1");
  CHECK(r.exit_code == 2);
  CHECK(r.err.size() < 200);
  fs::remove_all(dir);
}

TEST_CASE("class 7: --out refuses devices and inputs, keeps mode, follows symlinks",
          "[cli][hardening]") {
  const std::string dir = scratch("out");
  // Output = input (same inode, also through another name).
  put(dir + "/mine.csv", "delta,rho,tau1\n1/2,1,0.804737854124365\n");
  const std::string before = slurp(dir + "/mine.csv");
  auto r = run_cli("check " + dir + "/mine.csv --out " + dir + "/mine.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("also an input") != std::string::npos);
  fs::create_hard_link(dir + "/mine.csv", dir + "/alias.csv");
  r = run_cli("check " + dir + "/mine.csv --out " + dir + "/alias.csv");
  CHECK(r.exit_code == 2);
  CHECK(slurp(dir + "/mine.csv") == before);
  // A device node is not replaced.
  r = run_cli("edges --delta 1/2 --gamma 1/2 --out /dev/null");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("not a regular file") != std::string::npos);
  struct stat st;
  REQUIRE(::stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
  // Mode kept.
  put(dir + "/t.csv", "old\n");
  ::chmod((dir + "/t.csv").c_str(), 0600);
  r = run_cli("edges --delta 1/2 --gamma 1/2 --format csv --out " + dir + "/t.csv");
  REQUIRE(r.exit_code == 0);
  REQUIRE(::stat((dir + "/t.csv").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(slurp(dir + "/t.csv").find("left_edge") != std::string::npos);
  // Written through a symlink: the link stays, its target gets the table.
  fs::create_symlink("t.csv", dir + "/link.csv");
  r = run_cli("edges --delta 2 --gamma 1/2 --format csv --out " + dir + "/link.csv");
  REQUIRE(r.exit_code == 0);
  CHECK(fs::is_symlink(dir + "/link.csv"));
  CHECK(slurp(dir + "/t.csv").find(",0.5\n") != std::string::npos);  // atom 1 - 1/delta
  // A temporary left by a killed run (by name: dead pid) is removed by the
  // next write; no other file appears beside the target.
  put(dir + "/.t.csv.attnrmt-tmp-999999999", "stale");
  r = run_cli("edges --delta 1/2 --gamma 1/2 --format csv --out " + dir + "/t.csv");
  REQUIRE(r.exit_code == 0);
  CHECK(listing(dir) == std::vector<std::string>{"alias.csv", "link.csv", "mine.csv", "t.csv"});
  // A signal during the write leaves no temporary: the file-size limit
  // (ulimit -f, 512-byte blocks) raises SIGXFSZ in the middle of writing a
  // 200-row table; the handler removes the temporary and the process dies by
  // that signal, leaving the directory as it was.
  std::string cmd = "ulimit -f 4; exec " + std::string(ATTNRMT_CLI) +
                    " thresholds --delta 0.1:4:200 --gamma 1/2 --format csv --out " + dir +
                    "/big.csv 2>/dev/null";
  int status = std::system(("sh -c '" + cmd + "'").c_str());
  CHECK(status != 0);
  CHECK(listing(dir) == std::vector<std::string>{"alias.csv", "link.csv", "mine.csv", "t.csv"});
  fs::remove_all(dir);
}

TEST_CASE("class 8: --out into a missing or unwritable directory fails before any work",
          "[cli][hardening]") {
  // Before any work: every row of this grid past delta = 1 fails to evaluate
  // (log_moment needs delta < 1), so a run that computed before checking --out
  // would report that row instead of the missing directory.
  auto r = run_cli(
      "table --quantities log_moment --vary delta=0.1:4:2000 --set gamma=1/2 --digits 60 --out "
      "/nonexistent_dir_attnrmt/t.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("does not exist") != std::string::npos);
  CHECK(r.err.find("log_moment") == std::string::npos);
  auto computed = run_cli("table --quantities log_moment --vary delta=0.1:4:20 --set gamma=1/2");
  CHECK(computed.exit_code == 2);  // the same grid without --out does fail on evaluation
  CHECK(computed.err.find("must be < 1 for log_moment") != std::string::npos);
  if (::geteuid() != 0) {
    const std::string dir = scratch("ro");
    ::chmod(dir.c_str(), 0500);
    r = run_cli("edges --delta 1 --gamma 1 --out " + dir + "/e.csv");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not writable") != std::string::npos);
    ::chmod(dir.c_str(), 0700);
    fs::remove_all(dir);
  }
}

TEST_CASE("class 9: endless or huge inputs are refused with a bounded read", "[cli][hardening]") {
  const std::string dir = scratch("zero");
  auto r = run_cli("check /dev/zero");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("limit") != std::string::npos);
  r = run_cli("weights --T 4 --pooling file:/dev/zero");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("limit") != std::string::npos);
  put(dir + "/rows.csv",
      "delta,gamma,T,pooling,corr,scheme_alpha_over_kappa\n1/2,1/2,4,file:/dev/zero,identity,1\n");
  r = run_cli("check " + dir + "/rows.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("limit") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("class 10: oversized grids are refused up front, naming the limit", "[cli][hardening]") {
  auto r = run_cli("table --quantities tau2 --vary delta=0.1:1:1000000 --vary gamma=0.1:1:1000000");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("limit of 1000000 rows") != std::string::npos);
  CHECK(one_line(r.err));
  r = run_cli("thresholds --delta 1:2:1000000 --gamma 1:2:3");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("limit of 1000000 rows") != std::string::npos);
  r = run_cli("thresholds --delta 1:2:10000000");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("1000000") != std::string::npos);
}

TEST_CASE("class 12: plot stops a gnuplot that never returns", "[cli][hardening]") {
  const std::string dir = scratch("hang");
  put(dir + "/gnuplot", "#!/bin/sh\nexec sleep 600\n");
  ::chmod((dir + "/gnuplot").c_str(), 0755);
  std::string cmd = "ATTNRMT_GNUPLOT=" + dir + "/gnuplot ATTNRMT_GNUPLOT_TIMEOUT=1 " +
                    std::string(ATTNRMT_CLI) + " plot phase --gamma 1/2 --out " + dir +
                    "/q.png 2>" + dir + "/err";
  auto t0 = std::chrono::steady_clock::now();
  int status = std::system(cmd.c_str());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(s < 10);
  CHECK(slurp(dir + "/err").find("did not finish within 1 s") != std::string::npos);
  CHECK(!fs::exists(dir + "/q.png"));
  fs::remove_all(dir);
}

TEST_CASE("class 13: parse errors name the range, the exponent limit, the empty item",
          "[cli][hardening]") {
  auto r = run_cli("thresholds --delta abc --gamma 1/2");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--delta: expected a number > 0 such as 0.5, 1/2 or 2.5e-1") !=
        std::string::npos);
  r = run_cli("thresholds --delta 1/2 --gamma 1/2 --rho x");
  CHECK(r.err.find("--rho: expected a number >= 0") != std::string::npos);
  r = run_cli("thresholds --delta 1e99999 --gamma 1/2");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("-4000..4000") != std::string::npos);
  r = run_cli("thresholds --delta 1e5000 --gamma 1/2");
  CHECK(r.err.find("-4000..4000") != std::string::npos);
  r = run_cli("thresholds --delta 1,,2 --gamma 1/2");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("item 2") != std::string::npos);
  CHECK(r.err.find("empty") != std::string::npos);
}

TEST_CASE("class 16 and data interchange: numeric csv/json columns are decimals",
          "[cli][hardening]") {
  // Grid points that are not terminating decimals are rounded to 12 digits.
  auto r = run_cli("bulk --delta 1/2 --gamma 1/2 --grid 0:5:2000 --format csv");
  REQUIRE(r.exit_code == 0);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 2001);
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (const auto& cell : rows[i]) REQUIRE(cell.find('/') == std::string::npos);
  CHECK(rows[2][0] == "0.00250125062531");  // 5/1999 to 12 significant digits
  // The density is that of the printed x (a second run at that x agrees).
  auto again = run_cli("bulk --delta 1/2 --gamma 1/2 --x 0.00250125062531 --format csv");
  CHECK(parse_csv(again.out)[1][1] == rows[2][1]);
  r = run_cli("table --quantities tau1 --vary delta=1:2:4 --format csv");
  REQUIRE(r.exit_code == 0);
  rows = parse_csv(r.out);
  CHECK(rows[2][0] == "1.33333333333");
}

TEST_CASE("data interchange: '-' is stdout, a failed stdout write is an error",
          "[cli][hardening]") {
  const std::string dir = scratch("dash");
  std::string cmd = "cd " + dir + " && " + std::string(ATTNRMT_CLI) +
                    " edges --delta 1/2 --gamma 1/2 --format csv --out - > stdout.txt";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(!fs::exists(dir + "/-"));
  CHECK(slurp(dir + "/stdout.txt").find("left_edge") != std::string::npos);
  int status = std::system(
      (std::string(ATTNRMT_CLI) + " edges --delta 1/2 --gamma 1/2 >/dev/full 2>" + dir + "/err")
          .c_str());
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(slurp(dir + "/err").find("standard output") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("data interchange: check reads numpy and pandas files, and a nan fails one row",
          "[cli][hardening]") {
  const std::string dir = scratch("np");
  // tau1 at delta = gamma = 1/2: (1/2 + sqrt(1/2))/(3/2) = 0.804737854124365...
  // numpy.savetxt(f, a, delimiter=',', header='delta,gamma,tau1')
  put(dir + "/np.csv",
      "# delta,gamma,tau1\n5.000000000000000000e-01,5.000000000000000000e-01,"
      "8.047378541243650e-01\n");
  auto r = run_cli("check " + dir + "/np.csv --min-digits 15 --set rho=1");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  // pandas DataFrame.to_csv(): an unnamed index column.
  put(dir + "/pd.csv", ",delta,gamma,tau1\n0,0.5,0.5,0.804737854124365\n1,1,1,1\n");
  r = run_cli("check " + dir + "/pd.csv --min-digits 15 --set rho=1");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("(index)") != std::string::npos);
  // One nan: that value fails, the other rows are still checked.
  put(dir + "/nan.csv", "delta,gamma,tau1\n0.5,0.5,nan\n1,1,1\nnan,1,1\n");
  r = run_cli("check " + dir + "/nan.csv --format csv --set rho=1");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  auto rows = parse_csv(r.out);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1][1] == "0");
  CHECK(std::stoi(rows[2][1]) >= 15);
  CHECK(rows[3][1] == "0");
  fs::remove_all(dir);
}
