// CSV replay format: timestamps and prices, each kind of bad file with its FILE:LINE:COLUMN, skip mode,
// the recorder round trip, and the shipped example file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "csv_recorder.hpp"
#include "csv_replay.hpp"
#include "simulator.hpp"
#include "test_support.hpp"

namespace tickshm::feed {
namespace {

namespace fs = std::filesystem;

// A temporary file removed at the end of the test, even when it fails.
class TempFile {
 public:
  explicit TempFile(const std::string& text) {
    static int n = 0;
    path_ = (fs::temp_directory_path() /
             ("tickshm-feed-csv-" + std::to_string(getpid()) + "-" + std::to_string(n++) + ".csv"))
                .string();
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

constexpr const char* kHeader = "timestamp,symbol,bid,ask,last,size\n";

// The error a file with this content gives, with the temporary path replaced by "F".
std::string scan_error(const std::string& text) {
  TempFile f(text);
  auto r = scan_replay(f.path(), BadRowPolicy::kFail, nullptr);
  if (r.ok()) return "(accepted)";
  // Replaces the temporary path with "F" (built by append: GCC 12 warns falsely on "F" + string).
  const std::string& msg = r.error().message;
  if (msg.rfind(f.path(), 0) != 0) return msg;
  std::string out(1, 'F');
  out.append(msg.begin() + static_cast<std::ptrdiff_t>(f.path().size()), msg.end());
  return out;
}

TEST(FeedCsv, shouldParseEveryTimestampFormWhenWellFormed) {
  std::uint64_t ns = 0;
  std::string why;
  ASSERT_TRUE(parse_timestamp("2024-01-02T14:30:00Z", ns, why)) << why;
  EXPECT_EQ(ns, 1'704'205'800'000'000'000ULL);
  ASSERT_TRUE(parse_timestamp("2024-01-02 14:30:00.000000001", ns, why)) << why;
  EXPECT_EQ(ns, 1'704'205'800'000'000'001ULL);
  ASSERT_TRUE(parse_timestamp("2024-01-02T09:30:00.5-05:00", ns, why)) << why;
  EXPECT_EQ(ns, 1'704'205'800'500'000'000ULL);
  ASSERT_TRUE(parse_timestamp("1704205800.25", ns, why)) << why;
  EXPECT_EQ(ns, 1'704'205'800'250'000'000ULL);
  ASSERT_TRUE(parse_timestamp("1704205800250000000", ns, why)) << why;
  EXPECT_EQ(ns, 1'704'205'800'250'000'000ULL);
  ASSERT_TRUE(parse_timestamp("2024-02-29T00:00:00Z", ns, why)) << "a leap day";
  for (const char* bad :
       {"", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-02", "2024-01-02T25:00:00Z",
        "2024-01-02T14:30:00.1234567891Z", "2024-01-02T14:30:00Zjunk", "1.2.3", "99999999999999999999",
        "12:30", "1969-12-31T23:59:59Z"}) {
    EXPECT_FALSE(parse_timestamp(bad, ns, why)) << "'" << bad << "' accepted";
    EXPECT_FALSE(why.empty());
  }
}

TEST(FeedCsv, shouldRoundTripTimestampsWhenFormatted) {
  for (const std::uint64_t ns :
       {0ULL, 1'704'205'800'123'456'789ULL, 951'782'400'000'000'000ULL /* 2000-02-29 */}) {
    std::uint64_t back = 0;
    std::string why;
    ASSERT_TRUE(parse_timestamp(format_timestamp(ns), back, why)) << format_timestamp(ns) << ": " << why;
    EXPECT_EQ(back, ns);
  }
  EXPECT_EQ(format_timestamp(1'704'205'800'000'000'001ULL), "2024-01-02T14:30:00.000000001Z");
}

TEST(FeedCsv, shouldParseFixedPointPricesWhenDecimal) {
  std::uint32_t u = 0;
  std::string why;
  ASSERT_TRUE(parse_price("185.23", u, why));
  EXPECT_EQ(u, 1'852'300u);
  ASSERT_TRUE(parse_price("0.0001", u, why));
  EXPECT_EQ(u, 1u);
  ASSERT_TRUE(parse_price("7", u, why));
  EXPECT_EQ(u, 70'000u);
  ASSERT_TRUE(parse_price("1.230000", u, why)) << "trailing zeros are not precision";
  EXPECT_EQ(u, 12'300u);
  ASSERT_TRUE(parse_price("429496.7295", u, why));
  EXPECT_EQ(u, 0xFFFF'FFFFu);
  for (const char* bad : {"", "-1.00", "1.23456", "abc", "1e3", "1.", ".", "429496.7296", "99999999999"}) {
    EXPECT_FALSE(parse_price(bad, u, why)) << "'" << bad << "' accepted";
  }
  EXPECT_EQ(format_price(1'852'300), "185.23");
  EXPECT_EQ(format_price(1'852'345), "185.2345");
}

TEST(FeedCsv, shouldReportFileLineColumnWhenFileIsBad) {
  const std::string row = "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,\n";
  // Each kind of bad file, with the exact message.
  EXPECT_EQ(scan_error(""), "F:1:1: no header line (expected timestamp,symbol,bid,ask,last,size)");
  EXPECT_EQ(scan_error("# just a comment\n"),
            "F:1:1: no header line (expected timestamp,symbol,bid,ask,last,size)");
  EXPECT_EQ(scan_error("timestamp,symbol,bid,ask,last\n"),
            "F:1:30: header has no 'size' column (required: timestamp,symbol,bid,ask,last,size)");
  EXPECT_EQ(scan_error("timestamp,symbol,bid,bid,ask,last,size\n"),
            "F:1:22: column 'bid' appears twice in the header");
  EXPECT_EQ(scan_error("timestamp,,symbol,bid,ask,last,size\n"), "F:1:11: empty column name in the header");
  EXPECT_EQ(scan_error(kHeader), "F:1:1: no valid data rows");
  EXPECT_EQ(scan_error(std::string(kHeader) + row + "2024-01-02T14:30:01Z,AAPL,185.00,185.01,,\n" +
                       "2024-01-02T14:30:02Z,AAPL,185.00\n"),
            "F:4:33: expected 6 fields as in the header, found 3");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,,extra\n"),
            "F:2:43: expected 6 fields as in the header, found 7");
  EXPECT_EQ(
      scan_error(std::string(kHeader) + "2024-01-32T14:30:00Z,AAPL,185.00,185.01,,\n"),
      "F:2:1: timestamp '2024-01-32T14:30:00Z': no such day (expected YYYY-MM-DDTHH:MM:SS[.fffffffff][Z])");
  EXPECT_EQ(scan_error(std::string(kHeader) + row + "2024-01-02T14:29:59Z,AAPL,185.00,185.01,,\n"),
            "F:3:1: timestamp 2024-01-02T14:29:59.000000000Z is earlier than the previous row's "
            "2024-01-02T14:30:00.000000000Z (rows must be in time order)");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AA PL,185.00,185.01,,\n"),
            "F:2:22: symbol 'AA PL' has a character outside [A-Za-z0-9./_-]");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,18x.00,185.01,,\n"),
            "F:2:27: bid: price '18x.00' is not a decimal number like 185.23");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.00,185.00001,,\n"),
            "F:2:34: ask: price '185.00001' has more than 4 decimals (1 price unit = 1/10000)");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.02,185.01,,\n"),
            "F:2:34: crossed quote: bid 185.02 is above ask 185.01");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,0,185.01,,\n"),
            "F:2:27: bid must be greater than 0");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,300\n"),
            "F:2:41: a trade row needs a last price greater than 0");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.00,185.01,185.01,-5\n"),
            "F:2:48: size '-5' is not a whole number of shares");
  EXPECT_EQ(
      scan_error(
          "timestamp,symbol,bid,ask,last,size,kind\n2024-01-02T14:30:00Z,AAPL,185.00,185.01,185.01,0,T\n"),
      "F:2:48: a trade row needs a size greater than 0");
  EXPECT_EQ(
      scan_error("timestamp,symbol,bid,ask,last,size,kind\n2024-01-02T14:30:00Z,AAPL,185.00,185.01,,,X\n"),
      "F:2:43: kind 'X' is not T, Q, trade or quote");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,AAPL,185.00,185.01,\x01,\n"),
            "F:2:41: unexpected control character 0x01");
  EXPECT_EQ(scan_error(std::string(kHeader) + "2024-01-02T14:30:00Z,\"AAPL,185.00,185.01,,\n"),
            "F:2:22: unterminated quoted field (quoted fields cannot contain commas)");
  EXPECT_EQ(scan_error(std::string(kHeader) + std::string(5000, 'x') + "\n"),
            "F:2:4097: line longer than 4096 characters");
}

TEST(FeedCsv, shouldAcceptCommentsQuotesCrlfAndExtraColumnsWhenFileIsGood) {
  TempFile f(
      "# a comment before the header\r\n"
      "Symbol,Timestamp,Bid,Ask,Last,Size,Venue,bid_size,ask_size\r\n"
      "\"AAPL\",2024-01-02T14:30:00Z,185.00,185.01,,,XNAS,300,500\r\n"
      "\r\n"
      "MSFT,2024-01-02T14:30:00.5Z,375.00,375.0250,375.01,200,XNAS,100,100\r\n"
      "AAPL,2024-01-02T14:30:01Z,185.01,185.02,185.01,100,XNAS,,\r\n");
  auto scan = scan_replay(f.path(), BadRowPolicy::kFail, nullptr);
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  EXPECT_EQ(scan->rows, 3u);
  ASSERT_EQ(scan->symbols.size(), 2u);
  EXPECT_EQ(scan->symbols[0].name, "AAPL");
  EXPECT_EQ(scan->symbols[0].tick_size, 100u);
  EXPECT_EQ(scan->symbols[0].reference_price, 1'850'000);  // first mid 185.005, down to the tick
  EXPECT_EQ(scan->symbols[1].tick_size, 1u) << "a sub-penny price makes the tick one unit";

  auto src = ReplaySource::open(f.path(), *scan);
  ASSERT_TRUE(src.ok()) << src.error().message;
  TickRecord t{};
  ASSERT_TRUE(src->next(t));
  EXPECT_EQ(t.symbol, 0u);
  EXPECT_EQ(t.kind, static_cast<std::uint8_t>(TickKind::kQuote));
  EXPECT_EQ(t.bid, 1'850'000u);
  EXPECT_EQ(t.bid_size, 300u);
  EXPECT_EQ(t.ask_size, 500u);
  EXPECT_EQ(t.event_ns, 1'704'205'800'000'000'000ULL);
  ASSERT_TRUE(src->next(t));
  EXPECT_EQ(t.symbol, 1u);
  EXPECT_EQ(t.kind, static_cast<std::uint8_t>(TickKind::kTrade));
  EXPECT_EQ(t.price, 3'750'100u);
  EXPECT_EQ(t.size, 200u);
  EXPECT_EQ(t.ask, 3'750'250u);
  ASSERT_TRUE(src->next(t));
  EXPECT_EQ(t.symbol, 0u);
  EXPECT_EQ(t.kind, static_cast<std::uint8_t>(TickKind::kTrade));
  EXPECT_FALSE(src->next(t));
}

TEST(FeedCsv, shouldSkipAndReportBadRowsWhenPolicyIsSkip) {
  TempFile f(std::string(kHeader) +
             "2024-01-02T14:30:00Z,AAPL,185.00,185.01,,\n"
             "2024-01-02T14:30:01Z,AAPL,185.02,185.01,,\n"  // crossed
             "2024-01-02T14:30:02Z,MSFT,375.00,375.01,375.00,100\n"
             "garbage\n");
  std::vector<std::string> skipped;
  auto scan = scan_replay(f.path(), BadRowPolicy::kSkip, [&](const std::string& m) { skipped.push_back(m); });
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  EXPECT_EQ(scan->rows, 2u);
  EXPECT_EQ(scan->bad_rows, 2u);
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0], f.path() + ":3:34: crossed quote: bid 185.02 is above ask 185.01");
  EXPECT_EQ(skipped[1], f.path() + ":5:8: expected 6 fields as in the header, found 1");
  auto src = ReplaySource::open(f.path(), *scan);
  ASSERT_TRUE(src.ok());
  TickRecord t{};
  int n = 0;
  while (src->next(t)) ++n;
  EXPECT_EQ(n, 2);
  EXPECT_EQ(src->skipped(), 2u);
  // Fail mode stops at the first one.
  EXPECT_EQ(scan_replay(f.path(), BadRowPolicy::kFail, nullptr).error().message,
            f.path() + ":3:34: crossed quote: bid 185.02 is above ask 185.01");
}

TEST(FeedCsv, shouldReplaySameTicksWhenRecordedFromSimulator) {
  const std::string path =
      (fs::temp_directory_path() / ("tickshm-feed-rec-" + std::to_string(getpid()) + ".csv")).string();
  struct Cleanup {
    std::string p;
    ~Cleanup() { std::remove(p.c_str()); }
  } cleanup{path};
  Simulator sim(default_universe(), SimConfig{});
  std::vector<std::string> names;
  for (const auto& p : sim.symbols()) names.push_back(p.name);
  std::vector<TickRecord> ticks(5000);
  {
    auto rec = CsvRecorder::open(path, names, "test recording");
    ASSERT_TRUE(rec.ok()) << rec.error().message;
    for (auto& t : ticks) {
      sim.next(t);
      rec->write(t);
    }
    ASSERT_TRUE(rec->close().ok());
  }
  auto scan = scan_replay(path, BadRowPolicy::kFail, nullptr);
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  EXPECT_EQ(scan->rows, ticks.size());
  auto src = ReplaySource::open(path, *scan);
  ASSERT_TRUE(src.ok());
  TickRecord t{};
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    ASSERT_TRUE(src->next(t));
    const TickRecord& want = ticks[k];
    // Symbol indexes follow first appearance in the file; compare by name.
    ASSERT_EQ(scan->symbols[t.symbol].name, names[want.symbol]) << "row " << k;
    ASSERT_EQ(t.event_ns, want.event_ns) << "row " << k;
    ASSERT_EQ(t.kind, want.kind);
    ASSERT_EQ(t.bid, want.bid);
    ASSERT_EQ(t.ask, want.ask);
    ASSERT_EQ(t.price, want.price);
    ASSERT_EQ(t.size, want.size);
    ASSERT_EQ(t.bid_size, want.bid_size);
    ASSERT_EQ(t.ask_size, want.ask_size);
  }
  EXPECT_FALSE(src->next(t));
}

TEST(FeedCsv, shouldParseShippedExampleWhenReplaying) {
  const std::string path = test::source_path("data/example.csv");
  auto scan = scan_replay(path, BadRowPolicy::kFail, nullptr);
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  EXPECT_GE(scan->rows, 1000u);
  EXPECT_EQ(scan->symbols.size(), 20u);
}

}  // namespace
}  // namespace tickshm::feed
