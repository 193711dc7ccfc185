// tickshm-feed: the market-data process, single writer of a market segment (simulation or CSV replay).
#include <CLI/CLI.hpp>

#include "feed_app.hpp"
#include "options.hpp"
#include "tickshm/cli.hpp"

int main(int argc, char** argv) {
  tickshm::feed::Options opts;
  CLI::App app{"tickshm-feed: simulates (or replays) a stock market into shared memory", "tickshm-feed"};
  tickshm::feed::setup_cli(app, opts);
  if (const int rc = tickshm::parse_cli(app, argc, argv); rc >= 0) return rc;
  tickshm::setup_logging("tickshm-feed", opts.common);
  return tickshm::feed::run_feed(opts);
}
