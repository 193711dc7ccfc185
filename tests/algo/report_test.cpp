// The run summary: the --report JSON parses and carries what the engine counted.
#include <gtest/gtest.h>

#include <deque>

#include "json_parse.hpp"
#include "report.hpp"

namespace tickshm::algo {

TEST(Report, shouldCarryEngineFiguresWhenWrittenAsJson) {
  RunReport r;
  r.name = "a1";
  r.strategy = "sma-cross";
  r.params = "fast=2 slow=4";
  r.feed = "market";
  r.received = 90;
  r.lost = 10;
  r.verify = true;
  r.verify_errors = 1;
  r.epochs = {{0xabc, 0, 40, 0}, {0xdef, 5, 50, 10}};
  r.counters.orders = 3;
  r.counters.fills = 3;
  r.counters.rejects = 2;
  r.counters.rejects_by[static_cast<std::size_t>(Reject::kRate)] = 2;
  r.realized = -12'345;
  r.unrealized = 5;
  r.total_pnl = -12'340;
  r.halted = true;
  r.halt_reason = "drawdown \"x\"";
  r.read = {100, 200, 300, 400, 90};
  r.positions = {{"AAA", -5, 100'000, 99'000, 7, 5'000, 2, 2}};
  const auto j = test::parse_json(report_json(r));
  EXPECT_EQ(j["name"].string(), "a1");
  EXPECT_EQ(j["ticks"]["received"].integer(), 90);
  EXPECT_EQ(j["ticks"]["lost"].integer(), 10);
  EXPECT_EQ(j["ticks"]["verify_errors"].integer(), 1);
  EXPECT_EQ(j["epochs"].size(), 2u);
  EXPECT_EQ(j["epochs"][1]["joined_at"].integer(), 5);
  EXPECT_EQ(j["epochs"][1]["epoch"].string(), "0000000000000def");
  EXPECT_EQ(j["orders"]["sent"].integer(), 3);
  EXPECT_EQ(j["orders"]["rejects_by"]["max-orders-per-sec"].integer(), 2);
  EXPECT_EQ(j["pnl"]["realized"].integer(), -12'345);
  EXPECT_EQ(j["pnl"]["total"].integer(), -12'340);
  EXPECT_TRUE(j["risk"]["halted"].boolean());
  EXPECT_EQ(j["risk"]["halt_reason"].string(), "drawdown \"x\"");
  EXPECT_EQ(j["latency"]["publish_to_read"]["p99_ns"].integer(), 200);
  EXPECT_EQ(j["positions"][0]["symbol"].string(), "AAA");
  EXPECT_EQ(j["positions"][0]["position"].integer(), -5);
  EXPECT_EQ(j["price_scale"].integer(), 10'000);

  const std::string text = summary_text(r);
  EXPECT_NE(text.find("received 90, lost 10, checksum mismatches 1"), std::string::npos) << text;
  EXPECT_NE(text.find("rejects 2 (max-orders-per-sec 2)"), std::string::npos) << text;
  EXPECT_NE(text.find("realized -1.2345"), std::string::npos) << text;
  EXPECT_NE(text.find("HALTED: drawdown"), std::string::npos) << text;
}

}  // namespace tickshm::algo
