// tickshm-bridge: carries a tickshm feed across hosts over NATS (out: feed -> NATS, in: NATS -> segment).
#include <spdlog/spdlog.h>

#include "bridge_in.hpp"
#include "bridge_out.hpp"
#include "nats_link.hpp"
#include "options.hpp"
#include "tickshm/cli.hpp"

int main(int argc, char** argv) {
  tickshm::bridge::Options opts;
  if (const int rc = tickshm::bridge::parse_command_line(argc, argv, opts); rc >= 0) return rc;
  tickshm::setup_logging("tickshm-bridge", opts.common);
  const auto& stop = tickshm::install_stop_signals();
  const int rc = opts.mode == tickshm::bridge::Mode::kOut ? tickshm::bridge::run_out(opts, stop)
                                                          : tickshm::bridge::run_in(opts, stop);
  tickshm::bridge::close_nats_library();
  return rc;
}
