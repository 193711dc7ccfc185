// Writes the fuzzers' starting corpus: real, valid segments (data, control, algo status), a replay CSV
// and config files, so mutation starts past the magic and size checks. Run once; the output is committed.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tickshm/algo_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/names.hpp"
#include "tickshm/publisher.hpp"

namespace fs = std::filesystem;
using namespace tickshm;

namespace {

std::string read_shm(const std::string& path) {
  const int fd = ::shm_open(path.c_str(), O_RDONLY, 0);
  if (fd < 0) return {};
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  return out;
}

void put(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: make_seeds CORPUS_DIR\n";
    return 2;
  }
  const fs::path out = argv[1];
  const std::string feed = "seed" + std::to_string(::getpid());
  PublisherOptions po;
  po.segment = feed;
  po.symbols = {{"AAPL", 1'850'000, 100}, {"MSFT", 4'000'000, 100}, {"BRK.A", 4'000'000'000, 100}};
  po.ring_capacity = 4;
  po.verify = true;
  auto pub = Publisher::create(po);
  if (!pub) {
    std::cerr << pub.error().message << "\n";
    return 1;
  }
  for (std::uint32_t i = 0; i < 6; ++i) {
    TickRecord t{};
    t.publish_ns = now_ns();
    t.symbol = i % 3;
    t.kind = static_cast<std::uint8_t>(i % 2 ? TickKind::kTrade : TickKind::kQuote);
    t.bid = 1'849'900;
    t.ask = 1'850'100;
    t.price = i % 2 ? 1'850'000 : 0;
    t.size = i % 2 ? 100 : 0;
    pub->publish(t);
  }
  AlgoIdentity id;
  id.feed = feed;
  id.name = "x";
  id.strategy = "sma-cross";
  id.params = "fast=5 slow=20";
  id.position_capacity = 2;
  auto algo = AlgoStatusWriter::create(id);
  if (!algo) {
    std::cerr << algo.error().message << "\n";
    return 1;
  }
  const std::string data = read_shm(data_segment_path(feed));
  const std::string ctl = read_shm(control_segment_path(feed));
  const std::string st = read_shm(algo_segment_path(feed, "x"));

  put(out / "segment_validate", "data", data);
  put(out / "segment_validate", "control", ctl);
  put(out / "segment_validate", "algo", st);
  put(out / "segment_file", "data", std::string(1, '\0') + data);
  put(out / "segment_file", "control", std::string(1, '\1') + ctl);
  put(out / "segment_file", "algo", std::string(1, '\2') + st);

  put(out / "csv_replay", "quotes_trades.csv",
      "# recorded by tickshm-feed\n"
      "timestamp,symbol,bid,ask,last,size,bid_size,ask_size,kind\n"
      "2024-01-02T14:30:00.000000001Z,AAPL,185.20,185.22,185.21,100,300,200,trade\n"
      "2024-01-02T14:30:00.5Z,MSFT,370.10,370.12,0,0,100,100,quote\n"
      "1704205801.25,AAPL,185.2050,185.2250,,,,,q\n"
      "1704205802000000000,MSFT,370.11,370.13,370.12,50,1,1,t\n");
  put(out / "csv_replay", "minimal.csv",
      "timestamp,symbol,bid,ask,last,size\n2024-01-02 14:30:00+01:00,X,1,2,1.5,1\n");

  put(out / "config_feed", "feed.toml",
      "segment = \"market\"\nrate = \"max\"\ncount = 1000\nring-capacity = 1024\nmode = \"0660\"\nverify = "
      "true\n"
      "seed = 7\nsymbols = \"AAPL,MSFT\"\nlog-level = \"warn\"\n");
  put(out / "config_feed", "feed.ini", "[default]\nrate=5000\nduration=1.5\nkeep=true\nmarket-weight=0.5\n");
  put(out / "config_algo", "algo.toml",
      "segment = \"market\"\nstrategy = \"mean-revert\"\nname = \"mr1\"\nwait = \"block\"\nverify = true\n"
      "order-size = 200\nmax-position = 1000\ncommission-per-share = \"0.005\"\nduration = 2.5\n");
  put(out / "config_algo", "algo.ini", "strategy=sma-cross\nsymbols=AAPL,MSFT\nmax-drawdown=1000.50\n");
  std::cout << "seeds written under " << out << "\n";
  return 0;
}
