// tickshm-feed --itch and --record-itch as real processes: the sample replayed and read back by
// tickshm-stat --json against the reference replay, gzip input, --symbols and --from/--to, files that
// are not ITCH, and the round trip simulate -> record ITCH -> replay -> identical quote board.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "itch_reference.hpp"
#include "test_support.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::feed {
namespace {

using namespace std::chrono_literals;
using test::ShmGuard;

namespace fs = std::filesystem;

const std::string kSample = "data/ex20101224.TEST_ITCH_50";

class TempPath {
 public:
  explicit TempPath(const std::string& tag) {
    static int n = 0;
    path_ = (fs::temp_directory_path() /
             ("tickshm-itchp-" + std::to_string(getpid()) + "-" + std::to_string(n++) + "-" + tag))
                .string();
  }
  ~TempPath() { std::remove(path_.c_str()); }
  TempPath(const TempPath&) = delete;
  TempPath& operator=(const TempPath&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

test::RunResult feed(const std::vector<std::string>& args) {
  return test::run(test::bin_path("tickshm-feed"), args, 60s);
}

nlohmann::json stat_json(const std::string& segment) {
  const test::RunResult r = test::run(test::bin_path("tickshm-stat"), {"--segment", segment, "--json"}, 30s);
  if (r.code != 0) throw std::runtime_error("tickshm-stat failed: " + r.err);
  return nlohmann::json::parse(r.out);
}

// The stat JSON's symbols against the reference's stocks (by name), trades to low.
void expect_stats(const nlohmann::json& doc, const ref::Result& want, std::size_t expected_symbols) {
  const nlohmann::json& syms = doc.at("symbols");
  ASSERT_EQ(syms.size(), expected_symbols);
  for (std::size_t i = 0; i < syms.size(); ++i) {
    const std::string name = syms[i].at("symbol").get<std::string>();
    SCOPED_TRACE(name);
    const ref::Stats* w = nullptr;
    for (const auto& [loc, s] : want.stocks) {
      if (s.name == name) w = &s;
    }
    ASSERT_NE(w, nullptr);
    EXPECT_GT(w->trades, 0u);
    EXPECT_EQ(static_cast<std::uint64_t>(syms[i].at("trades").get<long long>()), w->trades);
    EXPECT_EQ(static_cast<std::uint64_t>(syms[i].at("volume").get<long long>()), w->volume);
    EXPECT_EQ(syms[i].at("last").get<long long>(), w->last);
    EXPECT_EQ(syms[i].at("high").get<long long>(), w->high);
    EXPECT_EQ(syms[i].at("low").get<long long>(), w->low);
    EXPECT_EQ(syms[i].at("open").get<long long>(), w->open);
  }
}

TEST(ItchProcess, shouldShowTheReferenceTradesInStatWhenTheSampleIsReplayed) {
  ShmGuard shm(test::unique_segment("itch"));
  const test::RunResult r =
      feed({"--itch", test::source_path(kSample), "--speed", "max", "--keep", "--segment", shm.name()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("zero length prefixes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("D naming an order never added"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("crossed books"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("system event 'Q' (start of market hours)"), std::string::npos) << r.err;
  const ref::Result want = ref::replay(ref::read_file(test::source_path(kSample)));
  expect_stats(stat_json(shm.name()), want, 3);
}

TEST(ItchProcess, shouldReplayTheSameTradesWhenTheFileIsGzipped) {
  ShmGuard shm(test::unique_segment("itchgz"));
  TempPath gz("sample.gz");
  const std::vector<std::uint8_t> bytes = ref::read_file(test::source_path(kSample));
  gzFile out = ::gzopen(gz.path().c_str(), "wb6");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(::gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
  ASSERT_EQ(::gzclose(out), Z_OK);
  ASSERT_LT(fs::file_size(gz.path()), bytes.size());
  const test::RunResult r = feed({"--itch", gz.path(), "--speed", "max", "--keep", "--segment", shm.name()});
  ASSERT_EQ(r.code, 0) << r.err;
  expect_stats(stat_json(shm.name()), ref::replay(bytes), 3);
}

TEST(ItchProcess, shouldPublishOnlyTheChosenStocksAndWindowWhenGivenSymbolsFromAndTo) {
  ShmGuard shm(test::unique_segment("itchwin"));
  const test::RunResult r =
      feed({"--itch", test::source_path(kSample), "--speed", "max", "--keep", "--segment", shm.name(),
            "--symbols", "BOB", "--from", "11:00:00", "--to", "14:00:00"});
  ASSERT_EQ(r.code, 0) << r.err;
  const ref::Result want =
      ref::replay(ref::read_file(test::source_path(kSample)), 39'600'000'000'000ULL, 50'400'000'000'000ULL);
  ref::Result bob_only = want;
  std::erase_if(bob_only.stocks, [](const auto& kv) { return kv.second.name != "BOB"; });
  expect_stats(stat_json(shm.name()), bob_only, 1);
}

TEST(ItchProcess, shouldExitTwoAndCreateNothingWhenTheFileIsNotItch) {
  ShmGuard shm(test::unique_segment("itchbad"));
  TempPath text("csv");
  std::FILE* f = std::fopen(text.path().c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("timestamp,symbol,bid,ask,last,size\n", f);
  std::fclose(f);
  const test::RunResult r = feed({"--itch", text.path(), "--speed", "max", "--segment", shm.name()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not an ITCH 5.0 file"), std::string::npos) << r.err;
  EXPECT_TRUE(shm.leftovers().empty());
}

TEST(ItchProcess, shouldExitTwoNamingTheOffsetWhenTheLastMessageIsTruncated) {
  ShmGuard shm(test::unique_segment("itchcut"));
  TempPath cut("cut");
  std::vector<std::uint8_t> bytes = ref::read_file(test::source_path(kSample));
  bytes.resize(bytes.size() - 3);
  std::FILE* f = std::fopen(cut.path().c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
  std::fclose(f);
  const test::RunResult r = feed({"--itch", cut.path(), "--speed", "max", "--segment", shm.name()});
  EXPECT_EQ(r.code, 2);
  // The last message is S 'C' (12 bytes + 2 of prefix) at 465048 - 14.
  EXPECT_NE(r.err.find("truncated message 'S' at byte offset 465034"), std::string::npos) << r.err;
  EXPECT_TRUE(shm.leftovers().empty());
}

TEST(ItchProcess, shouldRejectSymbolsTheDirectoryLacksWhenFiltering) {
  ShmGuard shm(test::unique_segment("itchsym"));
  const test::RunResult r =
      feed({"--itch", test::source_path(kSample), "--symbols", "BOB,ZZZZ", "--segment", shm.name()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("ZZZZ"), std::string::npos) << r.err;
}

TEST(ItchProcess, shouldListTheItchFlagsWhenAskedForHelp) {
  const test::RunResult r = feed({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* flag : {"--itch", "--from", "--to", "--record-itch"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag << " missing from --help";
  }
}

TEST(ItchProcess, shouldRefuseSimulatorFlagsWhenReplayingItch) {
  const test::RunResult r = feed({"--itch", test::source_path(kSample), "--rate", "100"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--rate"), std::string::npos) << r.err;
}

TEST(ItchProcess, shouldRefuseSpeedWhenNeitherReplayNorItchIsGiven) {
  const test::RunResult r = feed({"--speed", "2", "--count", "1"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("requires --replay or --itch"), std::string::npos) << r.err;
}

// Simulate with a seed, record ITCH, replay it: every quote board field but the publish clock
// (update_ns) is the same.
TEST(ItchProcess, shouldRebuildTheSameQuoteBoardWhenASimulationIsRecordedAndReplayed) {
  ShmGuard sim(test::unique_segment("itchsim"));
  ShmGuard back(test::unique_segment("itchback"));
  TempPath itch("rec.itch");
  const test::RunResult a = feed({"--seed", "7", "--num-symbols", "12", "--rate", "max", "--count", "40000",
                                  "--record-itch", itch.path(), "--keep", "--segment", sim.name()});
  ASSERT_EQ(a.code, 0) << a.err;
  const test::RunResult b =
      feed({"--itch", itch.path(), "--speed", "max", "--keep", "--segment", back.name()});
  ASSERT_EQ(b.code, 0) << b.err;
  EXPECT_EQ(b.err.find("counted and skipped"), std::string::npos) << b.err;
  auto va = DataView::open(sim.name());
  auto vb = DataView::open(back.name());
  ASSERT_TRUE(va) << va.error().message;
  ASSERT_TRUE(vb) << vb.error().message;
  ASSERT_EQ(va->symbol_count(), 12u);
  ASSERT_EQ(vb->symbol_count(), 12u);
  EXPECT_EQ(va->write_cursor(), 40'000u);
  EXPECT_EQ(vb->write_cursor(), 40'000u);
  std::uint64_t trades = 0;
  for (std::uint32_t i = 0; i < 12; ++i) {
    SCOPED_TRACE(va->symbol_name(i));
    EXPECT_EQ(va->symbol_name(i), vb->symbol_name(i));
    Quote qa, qb;
    ASSERT_TRUE(va->read_quote(i, qa));
    ASSERT_TRUE(vb->read_quote(i, qb));
    EXPECT_EQ(qa.last, qb.last);
    EXPECT_EQ(qa.bid, qb.bid);
    EXPECT_EQ(qa.ask, qb.ask);
    EXPECT_EQ(qa.bid_size, qb.bid_size);
    EXPECT_EQ(qa.ask_size, qb.ask_size);
    EXPECT_EQ(qa.last_size, qb.last_size);
    EXPECT_EQ(qa.volume, qb.volume);
    EXPECT_EQ(qa.open, qb.open);
    EXPECT_EQ(qa.high, qb.high);
    EXPECT_EQ(qa.low, qb.low);
    EXPECT_EQ(qa.tick_count, qb.tick_count);
    EXPECT_EQ(qa.trade_count, qb.trade_count);
    trades += qa.trade_count;
  }
  EXPECT_GT(trades, 1000u);
  // The ring too: tick by tick, every field but the publish clock.
  const std::uint64_t n = std::min<std::uint64_t>(va->write_cursor(), va->header().ring_capacity);
  for (std::uint64_t s = va->write_cursor() - n; s < va->write_cursor(); ++s) {
    const TickRecord& x = va->ring()[s & va->ring_mask()];
    const TickRecord& y = vb->ring()[s & vb->ring_mask()];
    ASSERT_EQ(x.symbol, y.symbol) << s;
    ASSERT_EQ(x.kind, y.kind) << s;
    ASSERT_EQ(x.bid, y.bid) << s;
    ASSERT_EQ(x.ask, y.ask) << s;
    ASSERT_EQ(x.price, y.price) << s;
    ASSERT_EQ(x.size, y.size) << s;
    ASSERT_EQ(x.bid_size, y.bid_size) << s;
    ASSERT_EQ(x.ask_size, y.ask_size) << s;
  }
}

}  // namespace
}  // namespace tickshm::feed
