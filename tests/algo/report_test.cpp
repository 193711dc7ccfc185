// The run summary: the --report JSON parses and carries what the engine counted.
#include <gtest/gtest.h>

#include <deque>

#include <nlohmann/json.hpp>
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
  const auto j = nlohmann::json::parse(report_json(r));
  EXPECT_EQ(j.at("schema_version").get<int>(), 1);
  EXPECT_EQ(j.at("name").get<std::string>(), "a1");
  EXPECT_EQ(j.at("ticks").at("received").get<long long>(), 90);
  EXPECT_EQ(j.at("ticks").at("lost").get<long long>(), 10);
  EXPECT_EQ(j.at("ticks").at("verify_errors").get<long long>(), 1);
  EXPECT_EQ(j.at("epochs").size(), 2u);
  EXPECT_EQ(j.at("epochs")[1].at("joined_at").get<long long>(), 5);
  EXPECT_EQ(j.at("epochs")[1].at("epoch").get<std::string>(), "0000000000000def");
  EXPECT_EQ(j.at("orders").at("sent").get<long long>(), 3);
  EXPECT_EQ(j.at("orders").at("rejects_by").at("max-orders-per-sec").get<long long>(), 2);
  EXPECT_EQ(j.at("pnl").at("realized").get<long long>(), -12'345);
  EXPECT_EQ(j.at("pnl").at("total").get<long long>(), -12'340);
  EXPECT_TRUE(j.at("risk").at("halted").get<bool>());
  EXPECT_EQ(j.at("risk").at("halt_reason").get<std::string>(), "drawdown \"x\"");
  EXPECT_EQ(j.at("latency").at("publish_to_read").at("p99_ns").get<long long>(), 200);
  EXPECT_EQ(j.at("positions")[0].at("symbol").get<std::string>(), "AAA");
  EXPECT_EQ(j.at("positions")[0].at("position").get<long long>(), -5);
  EXPECT_EQ(j.at("price_scale").get<long long>(), 10'000);

  const std::string text = summary_text(r);
  EXPECT_NE(text.find("received 90, lost 10, checksum mismatches 1"), std::string::npos) << text;
  EXPECT_NE(text.find("rejects 2 (max-orders-per-sec 2)"), std::string::npos) << text;
  EXPECT_NE(text.find("realized -1.2345"), std::string::npos) << text;
  EXPECT_NE(text.find("HALTED: drawdown"), std::string::npos) << text;
}

}  // namespace tickshm::algo
