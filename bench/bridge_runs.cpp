// tickshm-bench --bridge: a private nats-server (JetStream on), then the bridge runs and the plain NATS
// runs in turn, then the table.
#include "bridge_runs.hpp"

#include <nats/nats.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "bridge_bench_figures.hpp"
#include "bridge_bench_proc.hpp"
#include "bridge_pipeline.hpp"
#include "plain_nats_run.hpp"

namespace tickshm::bench {

using namespace bridge_bench;

int run_bridge_bench(const BridgeBenchOptions& o) {
  std::string server;
  for (const char* p : {"/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"})
    if (std::filesystem::exists(p)) server = p;
  if (server.empty()) {
    std::fprintf(stderr, "tickshm-bench --bridge: nats-server is not installed\n");
    return 2;
  }
  std::error_code ec;
  const std::string bin = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path().string();
  const int port = free_port();
  const std::string url = "nats://127.0.0.1:" + std::to_string(port);
  // JetStream on (a store of its own, removed at the end) for the JetStream runs; core runs ignore it.
  const std::string store = "/tmp/tickshm-bbench-js-" + std::to_string(::getpid());
  Proc nats;
  nats.start({server, "-a", "127.0.0.1", "-p", std::to_string(port), "-js", "-sd", store}, "/dev/null");
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    natsConnection* c = nullptr;
    up = natsConnection_ConnectTo(&c, url.c_str()) == NATS_OK;
    natsConnection_Destroy(c);
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!up) {
    std::fprintf(stderr, "tickshm-bench --bridge: nats-server did not start\n");
    return 1;
  }
  std::vector<Figures> all;
  std::fprintf(stderr, "bridge bench: flat out, %llu ticks\n",
               static_cast<unsigned long long>(o.throughput_ticks));
  for (const std::uint32_t b : o.batches)
    all.push_back(bridge_run(bin, url, nats.pid, o, b, false, "flat" + std::to_string(b)));
  all.push_back(plain_run(url, nats.pid, o, false));
  std::fprintf(stderr, "bridge bench: paced at %llu ticks/s for %.1f s\n",
               static_cast<unsigned long long>(o.latency_rate), o.latency_s);
  for (const std::uint32_t b : o.batches)
    all.push_back(bridge_run(bin, url, nats.pid, o, b, true, "paced" + std::to_string(b)));
  all.push_back(plain_run(url, nats.pid, o, true));
  if (o.jetstream) {
    std::fprintf(stderr, "bridge bench: JetStream (acknowledged publishes), flat out and paced\n");
    all.push_back(bridge_run(bin, url, nats.pid, o, o.batches.front(), false, "jsflat", true));
    all.push_back(bridge_run(bin, url, nats.pid, o, o.batches.front(), true, "jspaced", true));
  }
  nats.stop();
  std::filesystem::remove_all(store);

  const bool ok = print_rows(all);
  if (!o.json.empty()) write_json(all, o.json);
  return ok ? 0 : 1;
}

}  // namespace tickshm::bench
