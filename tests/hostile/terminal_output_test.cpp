// Output is not a terminal exploit (issue 16.5): a reader name and an algo name/strategy holding an
// escape sequence and bytes that are not UTF-8 are written into a live feed's registry and an algo's
// status segment; the real tickshm-stat (text and --json) and tickshm-dash --snapshot must print them
// escaped: no raw ESC or other control byte, valid UTF-8, and JSON that a standard parser reads.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <string>

#include "hostile_support.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/algo_status_layout.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"
#include "tickshm/subscriber.hpp"
#include "tickshm/text.hpp"

namespace tickshm::test {
namespace {

// Clears the screen, sets the window title and rings the bell if printed raw; then two bytes that are
// not UTF-8. Short enough for the 31-character name fields.
const std::string kHostile = "\x1b[2J\x1b]0;pwn\x07\xff\xfe!";

// Anything a terminal would act on: C0 controls other than newline, DEL, and invalid UTF-8.
void expect_inert(const ProgramRun& r) {
  for (const std::string* s : {&r.out, &r.err}) {
    for (const char c : *s) {
      const auto u = static_cast<unsigned char>(c);
      ASSERT_FALSE((u < 0x20 && u != '\n') || u == 0x7f)
          << r.program << " printed the control byte 0x" << std::hex << int{u} << "\n"
          << r.describe();
    }
    EXPECT_TRUE(is_valid_utf8(*s)) << r.program << " printed invalid UTF-8\n" << r.describe();
  }
}

TEST(TerminalOutput, shouldEscapeHostileNamesFromSharedMemoryInStatAndDashboard) {
  if (!programs_built()) GTEST_SKIP() << "the programs are not built in " << bin_path("");
  const std::string feed = unique_segment("term-out");
  ShmGuard guard(feed);

  PublisherOptions po;
  po.segment = feed;
  po.symbols = {{"AAPL", 1'850'000, 100}};
  po.ring_capacity = 64;
  auto pub = Publisher::create(po);
  ASSERT_TRUE(pub) << pub.error().message;

  // A reader whose registry name and role are the hostile bytes (the registry stores what it is given).
  SubscriberOptions so;
  so.segment = feed;
  so.name = kHostile;
  so.role = "\x1b[31mred";
  auto sub = Subscriber::create(so);
  ASSERT_TRUE(sub) << sub.error().message;
  ASSERT_TRUE(sub->try_attach());

  // An algo status segment whose strategy is hostile, and whose name is made hostile in the file (the
  // writer refuses such a name, a peer that writes the file does not ask).
  auto algo = AlgoStatusWriter::create(AlgoIdentity{feed, "victim", kHostile, "\x1b[5mblink", 4});
  ASSERT_TRUE(algo) << algo.error().message;
  {
    const int fd = ::open(shm_file(feed, ".algo.victim").c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    char name[sizeof(AlgoStatusHeader::name)] = {};
    kHostile.copy(name, sizeof name - 1);
    ASSERT_EQ(::pwrite(fd, name, sizeof name, offsetof(AlgoStatusHeader, name)),
              static_cast<ssize_t>(sizeof name));
    ::close(fd);
  }
  algo->update(AlgoTotals{}, {}, {});

  const ProgramRun text = run_stat(feed);
  EXPECT_EQ(text.code, 0) << text.describe();
  expect_inert(text);
  EXPECT_NE(text.out.find("\\x1b[2J\\x1b]0;pwn\\x07\\xff\\xfe!"), std::string::npos)
      << "the reader's name is shown, escaped\n"
      << text.describe();
  EXPECT_NE(text.out.find("\\x1b[31mred"), std::string::npos) << text.describe();

  const ProgramRun json = run_program("tickshm-stat", {"--segment", feed, "--json"});
  EXPECT_EQ(json.code, 0) << json.describe();
  expect_inert(json);
  nlohmann::json doc;
  ASSERT_NO_THROW(doc = nlohmann::json::parse(json.out)) << json.describe();
  ASSERT_EQ(doc.at("readers").size(), 1u) << json.out;
  const std::string name = doc.at("readers")[0].at("name").get<std::string>();
  EXPECT_EQ(name.substr(0, 12), kHostile.substr(0, 12)) << "control characters survive as JSON escapes";
  EXPECT_TRUE(is_valid_utf8(name));
  EXPECT_EQ(name.find('\xff'), std::string::npos) << "invalid bytes are replaced (U+FFFD)";
  ASSERT_EQ(doc.at("algos").size(), 1u) << json.out;
  EXPECT_TRUE(is_valid_utf8(doc.at("algos")[0].at("name").get<std::string>()));

  const ProgramRun list = run_program("tickshm-stat", {"--list"});
  expect_inert(list);

  const ProgramRun dash = run_dash(feed);
  EXPECT_EQ(dash.code, 0) << dash.describe();
  expect_inert(dash);
  EXPECT_NE(dash.out.find("\\x1b"), std::string::npos) << "the hostile names are shown, escaped\n"
                                                       << dash.describe();
}

}  // namespace
}  // namespace tickshm::test
