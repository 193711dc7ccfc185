// tickshm-feed: the market-data process, single writer of a market segment (simulation or CSV replay).
#include "feed_app.hpp"
#include "options.hpp"
#include "tickshm/cli.hpp"

int main(int argc, char** argv) {
  tickshm::feed::Options opts;
  if (const int rc = tickshm::feed::parse_command_line(argc, argv, opts); rc >= 0) return rc;
  tickshm::setup_logging("tickshm-feed", opts.common);
  return tickshm::feed::run_feed(opts);
}
