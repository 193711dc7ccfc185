// tickshm-algo: reads the market segment, trades one strategy on paper, publishes its status.
#include <spdlog/spdlog.h>

#include <cstdio>

#include "algo_options.hpp"
#include "runner.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/subscriber.hpp"

namespace tickshm::algo {
namespace {

void log_event(const SubscriberEvent& ev) {
  switch (ev.kind) {
    case SubscriberEvent::kWaitingForFeed:
    case SubscriberEvent::kAttached:
      spdlog::info("{}", ev.message);
      break;
    case SubscriberEvent::kRefused:
    case SubscriberEvent::kRegistryFull:
      spdlog::error("{}", ev.message);
      break;
    default:
      spdlog::warn("{}", ev.message);
      break;
  }
}

int run_main(int argc, char** argv) {
  auto strategies = make_strategy_factories();
  Options opts;
  std::optional<ResolvedOptions> resolved;
  if (const int rc = parse_command_line(argc, argv, opts, strategies, resolved); rc >= 0) return rc;
  const ResolvedOptions& res = *resolved;
  setup_logging("tickshm-algo", opts.common);
  const std::atomic<bool>& stop = install_stop_signals();

  SubscriberOptions so;
  so.segment = opts.common.segment;
  so.name = res.name;
  so.role = "algo";
  so.wait = opts.wait;
  so.verify = opts.verify;
  auto sub = Subscriber::create(so);
  if (!sub) {
    spdlog::error("{}", sub.error().message);
    return sub.error().code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  sub->set_stop_flag(&stop);
  sub->set_event_handler(log_event);

  AlgoIdentity id;
  id.feed = opts.common.segment;
  id.name = res.name;
  id.strategy = std::string(res.strategy->name());
  id.params = res.strategy->params();
  id.position_capacity = kAlgoMaxPositions;
  id.mode = res.mode;
  auto status = AlgoStatusWriter::create(id);
  if (!status) {
    spdlog::error("{}", status.error().message);
    return status.error().code == Errc::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  spdlog::info("algo {} ({} {}) on feed {}: order size {}, status {}", res.name, id.strategy, id.params,
               opts.common.segment, res.engine.order_size, status->path());
  if (res.engine.limits.max_position > 0 && res.engine.limits.max_position < res.engine.order_size)
    spdlog::warn("--max-position {} is below --order-size {}: every order will be refused",
                 res.engine.limits.max_position, res.engine.order_size);

  Runner runner(opts, res, std::move(sub).value(), std::move(status).value());
  return runner.run(stop);
}

}  // namespace
}  // namespace tickshm::algo

int main(int argc, char** argv) {
  try {
    return tickshm::algo::run_main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tickshm-algo: %s\n", e.what());
    return tickshm::kExitFailure;
  }
}
