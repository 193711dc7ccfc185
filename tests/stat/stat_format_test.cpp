// Unit tests of tickshm-stat's formatting: a hand-built report as JSON (parsed back) and as text.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <nlohmann/json.hpp>
#include "stat_report.hpp"

namespace tickshm::stat {
namespace {

StatReport sample_report() {
  StatReport r;
  r.segment = "market";
  r.path = "/tickshm.market";
  r.state = "LIVE";
  r.epoch = 0x1234;
  r.writer_pid = 77;
  r.writer_alive = true;
  r.published = 1000;
  r.layout_version = 1;
  r.ring_capacity = 1024;
  r.symbol_count = 2;
  r.symbol_capacity = 2;
  r.registry_present = true;
  for (std::uint32_t i = 0; i < 2; ++i) {
    SymbolStat s;
    s.index = i;
    s.symbol = i == 0 ? "AAPL" : "MSFT";
    s.reference = 1'000'000;
    s.quote.last = 1'000'100 + i;
    s.quote.bid = 1'000'000;
    s.quote.ask = 1'000'200;
    s.quote.volume = 500;
    s.quote.tick_count = 42;
    r.symbols.push_back(s);
  }
  ReaderStat rd;
  rd.info.name = "algo-1";
  rd.info.pid = 88;
  rd.info.alive = true;
  rd.info.role = "algo";
  rd.info.cursor = 990;
  rd.info.received = 980;
  rd.info.lost = 10;
  rd.info.p50_ns = 500;
  rd.info.p99_ns = 4000;
  rd.lag = 10;
  rd.state = "alive";
  r.readers.push_back(rd);
  AlgoStatusSnapshot a;
  a.name = "algo-1";
  a.strategy = "sma-cross";
  a.pid = 88;
  a.alive = true;
  a.totals.orders = 12;
  a.totals.fills = 11;
  a.totals.realized = 20'000;
  a.totals.unrealized = -5'000;
  a.totals.total_pnl = 15'000;
  a.totals.halted = 1;
  PositionRecord p{};
  std::strncpy(p.symbol, "AAPL", sizeof p.symbol - 1);
  p.position = 100;
  a.positions.push_back(p);
  r.algos.push_back(a);
  return r;
}

TEST(StatFormatTest, shouldWriteDocumentedJsonFields) {
  const auto j = nlohmann::json::parse(format_json(sample_report(), 0, false));
  EXPECT_EQ(j.at("schema_version").get<int>(), 1);
  EXPECT_EQ(j.at("segment").get<std::string>(), "market");
  EXPECT_EQ(j.at("state").get<std::string>(), "LIVE");
  EXPECT_EQ(j.at("epoch").get<long long>(), 0x1234);
  EXPECT_EQ(j.at("epoch_hex").get<std::string>(), "0000000000001234");
  EXPECT_EQ(j.at("writer_pid").get<long long>(), 77);
  EXPECT_EQ(j.at("published").get<long long>(), 1000);
  EXPECT_EQ(j.at("price_scale").get<long long>(), 10000);
  ASSERT_EQ(j.at("symbols").size(), 2u);
  EXPECT_EQ(j.at("symbols")[0].at("symbol").get<std::string>(), "AAPL");
  EXPECT_EQ(j.at("symbols")[1].at("last").get<long long>(), 1'000'101);
  ASSERT_EQ(j.at("readers").size(), 1u);
  const auto& rd = j.at("readers")[0];
  EXPECT_EQ(rd.at("name").get<std::string>(), "algo-1");
  EXPECT_EQ(rd.at("pid").get<long long>(), 88);
  EXPECT_TRUE(rd.at("alive").get<bool>());
  EXPECT_EQ(rd.at("received").get<long long>(), 980);
  EXPECT_EQ(rd.at("lost").get<long long>(), 10);
  EXPECT_EQ(rd.at("lag").get<long long>(), 10);
  EXPECT_EQ(rd.at("p50_ns").get<long long>(), 500);
  EXPECT_EQ(rd.at("p99_ns").get<long long>(), 4000);
  ASSERT_EQ(j.at("algos").size(), 1u);
  const auto& a = j.at("algos")[0];
  EXPECT_EQ(a.at("name").get<std::string>(), "algo-1");
  EXPECT_EQ(a.at("strategy").get<std::string>(), "sma-cross");
  EXPECT_EQ(a.at("orders").get<long long>(), 12);
  EXPECT_EQ(a.at("fills").get<long long>(), 11);
  EXPECT_EQ(a.at("pnl_total").get<long long>(), 15'000);
  EXPECT_TRUE(a.at("halted").get<bool>());
  EXPECT_EQ(a.at("positions")[0].at("symbol").get<std::string>(), "AAPL");
  EXPECT_EQ(a.at("positions")[0].at("position").get<long long>(), 100);
}

TEST(StatFormatTest, shouldLimitSymbolsWhenMaxGiven) {
  const auto j = nlohmann::json::parse(format_json(sample_report(), 1, true));
  EXPECT_EQ(j.at("symbols").size(), 1u);
  EXPECT_EQ(j.at("symbol_count").get<long long>(), 2);  // the count still says how many there are
}

TEST(StatFormatTest, shouldPrintSectionsWhenText) {
  const std::string t = format_text(sample_report(), 0);
  for (const char* want :
       {"segment    market", "state LIVE", "published  1000", "SYMBOLS (2)", "AAPL", "100.0101",
        "READERS (1)", "algo-1", "ALGOS (1)", "sma-cross", "HALTED", "+1.50"}) {
    EXPECT_NE(t.find(want), std::string::npos) << want << " missing in:\n" << t;
  }
}

TEST(StatFormatTest, shouldSayWhyWhenRegistryMissing) {
  StatReport r = sample_report();
  r.registry_present = false;
  r.registry_error = "no control segment";
  r.readers.clear();
  EXPECT_NE(format_text(r, 0).find("registry unreadable: no control segment"), std::string::npos);
  const auto j = nlohmann::json::parse(format_json(r, 0, false));
  EXPECT_FALSE(j.at("registry").at("present").get<bool>());
  EXPECT_EQ(j.at("registry").at("error").get<std::string>(), "no control segment");
}

TEST(StatFormatTest, shouldListSegmentsAsTextAndJson) {
  ListEntry e;
  e.name = "tickshm.market";
  e.kind = "data";
  e.feed = "market";
  e.size = 4096;
  e.owner = "root";
  e.mode = 0600;
  e.writer_pid = 5;
  e.status = "dead";
  const auto j = nlohmann::json::parse(format_list_json({e}, false));
  EXPECT_EQ(j.at("schema_version").get<int>(), 1);
  ASSERT_EQ(j.at("segments").size(), 1u);
  EXPECT_EQ(j.at("segments")[0].at("name").get<std::string>(), "tickshm.market");
  EXPECT_EQ(j.at("segments")[0].at("mode").get<std::string>(), "0600");
  EXPECT_FALSE(j.at("segments")[0].at("writer_alive").get<bool>());
  EXPECT_NE(format_list_text({e}).find("dead"), std::string::npos);
  EXPECT_EQ(format_list_text({}), "no tickshm segments in /dev/shm\n");
}

}  // namespace
}  // namespace tickshm::stat
