// Every input is bounded (issue 16.7) and every option is typed at the edge (issue 15.4), through the
// real binaries: NaN and infinities, negative unsigned values, empty list items, files that are not
// small regular text files, unknown config keys, an unopenable log file. Each is one line that starts
// with the program's name, and exit 2; none hangs, aborts or runs.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "hostile_support.hpp"

namespace tickshm::test {
namespace {

#define REQUIRE_PROGRAMS() \
  if (!programs_built()) GTEST_SKIP() << "the programs are not built in " << bin_path("")

// A file under /tmp removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& tag, const std::string& bytes)
      : path_("/tmp/tickshm-bounds-" + std::to_string(::getpid()) + "-" + tag) {
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct BadInput {
  std::string program;
  std::vector<std::string> args;
  std::string expect;  // a piece of the one error line
};

void PrintTo(const BadInput& b, std::ostream* os) {
  *os << b.program;
  for (const auto& a : b.args) *os << " " << a;
}

// The program refused the input: exit 2, nothing on stdout, stderr one line naming the program.
void expect_refused(const BadInput& b, const ProgramRun& r) {
  EXPECT_EQ(r.code, 2) << r.describe();
  ASSERT_FALSE(r.err.empty()) << r.describe();
  EXPECT_EQ(r.err.rfind(b.program + ": ", 0), 0u) << "the error starts with the program's name\n"
                                                  << r.describe();
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line\n" << r.describe();
  EXPECT_NE(r.err.find(b.expect), std::string::npos) << "expected '" << b.expect << "'\n" << r.describe();
}

class BadFlag : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadFlag, shouldExitTwoWithOneLineNamingTheProgram) {
  REQUIRE_PROGRAMS();
  const BadInput& b = GetParam();
  const std::string feed = unique_segment("bounds");
  ShmGuard guard(feed);
  std::vector<std::string> args = {"--segment", feed};
  args.insert(args.end(), b.args.begin(), b.args.end());
  expect_refused(b, run_program(b.program, args, -1, 15000));
}

const std::string kCsv = std::string(TICKSHM_SOURCE_DIR) + "/data/example.csv";

INSTANTIATE_TEST_SUITE_P(
    Flags, BadFlag,
    ::testing::Values(
        BadInput{"tickshm-feed", {"--duration", "nan"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--duration", "inf"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--duration", "1e999"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--market-weight", "nan"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--trade-ratio", "-inf"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--jumps-per-session", "NaN"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--jump-size", "nan"}, "not a finite number"},
        BadInput{"tickshm-feed", {"--rate", "nan"}, "--rate must be 'max'"},
        BadInput{"tickshm-feed", {"--rate", "inf"}, "--rate must be 'max'"},
        BadInput{"tickshm-feed", {"--rate", "0"}, "--rate must be 'max'"},
        BadInput{"tickshm-feed", {"--replay", kCsv, "--speed", "nan"}, "--speed must be 'max'"},
        BadInput{"tickshm-feed", {"--seed", "-1"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--seed", "18446744073709551616"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--count", "-1"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--count", "010"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--count", "0x10"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--num-symbols", "-3"}, "not a whole number"},
        BadInput{"tickshm-feed", {"--ring-capacity", "-1024"}, "must be a number"},
        BadInput{"tickshm-feed", {"--symbols", "A,,B"}, "empty"},
        BadInput{"tickshm-feed", {"--symbols", "A,"}, "empty"},
        BadInput{"tickshm-feed", {"--symbols-file", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--symbols-file", "/tmp"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--replay", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--facts", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--tail-nu", "nan"}, "--tail-nu must be 0"},
        BadInput{"tickshm-feed", {"--config", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--config", "/tmp"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--log-file", "/nonexistent-dir/feed.log"}, "does not exist"},
        BadInput{"tickshm-feed", {"--log-file", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-feed", {"--mode", "0999"}, "not an octal mode"},
        BadInput{"tickshm-feed", {"--mode", "0400"}, "owner's read and write"},
        BadInput{"tickshm-algo", {"--duration", "nan"}, "not a finite number"},
        BadInput{"tickshm-algo", {"--strategy", "mean-revert", "--z-entry", "nan"}, "not a finite number"},
        BadInput{"tickshm-algo", {"--commission-per-share", "nan"}, "not a decimal number"},
        BadInput{"tickshm-algo", {"--max-drawdown", "inf"}, "not a decimal number"},
        BadInput{"tickshm-algo", {"--status-interval-ms", "-1"}, "not a whole number"},
        BadInput{"tickshm-algo", {"--order-size", "1e3"}, "not a whole number"},
        BadInput{"tickshm-algo", {"--symbols", "A,,B"}, "empty"},
        BadInput{"tickshm-algo", {"--wait", "sometimes"}, "sometimes"},
        BadInput{"tickshm-algo", {"--mode", "0666x"}, "not an octal mode"},
        BadInput{"tickshm-algo", {"--config", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-algo", {"--log-file", "/nonexistent-dir/algo.log"}, "does not exist"},
        BadInput{"tickshm-algo", {"--report", "/dev/null"}, "not a regular file"},
        BadInput{"tickshm-stat", {"--watch", "nan"}, "not a finite number"},
        BadInput{"tickshm-stat", {"--watch", "inf"}, "not a finite number"},
        BadInput{"tickshm-stat", {"--max-symbols", "-1"}, "not a whole number"},
        BadInput{"tickshm-stat", {"--config", "/dev/zero"}, "not a regular file"},
        BadInput{"tickshm-dash", {"--snapshot", "--refresh-ms", "nan"}, "not a whole number"},
        BadInput{"tickshm-dash", {"--snapshot", "--width", "-80"}, "outside [40, 1000]"},
        BadInput{"tickshm-dash", {"--snapshot", "--log-file", "/nonexistent-dir/d.log"}, "does not exist"}));

// The config-file cases: the same checks apply to a key as to its flag, and a key no option has is an
// error that names it and the option it was probably meant to be.
struct BadConfig {
  std::string program;
  std::string text;
  std::string expect;
};

void PrintTo(const BadConfig& b, std::ostream* os) {
  *os << b.program << " <<< " << ::testing::PrintToString(b.text);
}

class BadConfigFile : public ::testing::TestWithParam<BadConfig> {};

TEST_P(BadConfigFile, shouldExitTwoNamingTheKey) {
  REQUIRE_PROGRAMS();
  const BadConfig& b = GetParam();
  const std::string feed = unique_segment("bounds-cfg");
  ShmGuard guard(feed);
  const TempFile cfg("cfg-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + feed,
                     b.text);
  const ProgramRun r = run_program(b.program, {"--segment", feed, "--config", cfg.path()}, -1, 15000);
  expect_refused({b.program, {}, b.expect}, r);
}

INSTANTIATE_TEST_SUITE_P(
    Configs, BadConfigFile,
    ::testing::Values(BadConfig{"tickshm-feed", "rat = 5\n", "unknown key 'rat' (did you mean 'rate'?)"},
                      BadConfig{"tickshm-feed", "count = 10\nmarket_weight = 0.5\n",
                                "unknown key 'market_weight'"},
                      BadConfig{"tickshm-feed", "duration = nan\n", "not a finite number"},
                      BadConfig{"tickshm-feed", "seed = -1\n", "not a whole number"},
                      BadConfig{"tickshm-feed", "market-weight = inf\n", "not a finite number"},
                      BadConfig{"tickshm-feed",
                                std::string("\x7f"
                                            "ELF\x02\x01\x01\0\0\0garbage",
                                            16),
                                "not a text file"},
                      BadConfig{"tickshm-feed", "\xff\xfe\xfd = 1\n", "not a text file"},
                      BadConfig{"tickshm-feed", "just some words\n", "unknown key 'just some words'"},
                      BadConfig{"tickshm-algo", "wiat = spin\n", "unknown key 'wiat' (did you mean 'wait'?)"},
                      BadConfig{"tickshm-algo", "max-drawdown = nan\n", "not a decimal number"},
                      BadConfig{"tickshm-stat", "jsn = true\n", "unknown key 'jsn' (did you mean 'json'?)"},
                      BadConfig{"tickshm-dash", "refresh = 100\n", "unknown key 'refresh'"}));

TEST(InputBounds, shouldShowReadableValueNamesInHelp) {
  REQUIRE_PROGRAMS();
  const ProgramRun feed = run_program("tickshm-feed", {"--help"});
  ASSERT_EQ(feed.code, 0) << feed.describe();
  for (const char* s : {"--rate N|max", "--speed X|max", "--mode OCTAL", "--duration SECONDS", "--seed N",
                        "--config FILE", "--segment NAME"})
    EXPECT_NE(feed.out.find(s), std::string::npos) << s << "\n" << feed.out;
  const ProgramRun algo = run_program("tickshm-algo", {"--help"});
  ASSERT_EQ(algo.code, 0) << algo.describe();
  EXPECT_NE(algo.out.find("--wait spin|block|adaptive"), std::string::npos) << algo.out;
  for (const ProgramRun* r : {&feed, &algo}) {
    EXPECT_EQ(r->out.find("4611686018427387904"), std::string::npos) << r->out;
    EXPECT_EQ(r->out.find("UINT:"), std::string::npos) << r->out;
    EXPECT_EQ(r->out.find(bin_path("")), std::string::npos)
        << "the usage line names the program, not its path";
  }
}

TEST(InputBounds, shouldRunWithTypedValuesFromAValidConfigFile) {
  REQUIRE_PROGRAMS();
  const std::string feed = unique_segment("bounds-ok");
  ShmGuard guard(feed);
  const TempFile cfg("ok-" + feed, "rate = max\ncount = 500\nmode = 0640\nmarket-weight = 0.5\n");
  const ProgramRun r = run_program("tickshm-feed", {"--segment", feed, "--config", cfg.path()}, -1, 30000);
  EXPECT_EQ(r.code, 0) << r.describe();
  EXPECT_NE(r.err.find("rate max"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace tickshm::test
