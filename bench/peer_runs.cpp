// What the peer runs share: see peers.hpp.
#include "peers.hpp"

namespace tickshm::bench {

RunOutcome peer_run_base(Transport t, Mode m, std::size_t readers) {
  RunOutcome out;
  out.name = run_name(t, WaitStrategy::kBlock);
  out.transport = t;
  out.wait = t == Transport::kIceoryxSpin || t == Transport::kIceoryxBlocking ? WaitStrategy::kSpin
                                                                              : WaitStrategy::kBlock;
  out.mode = m;
  out.readers = readers;
  return out;
}

RunOutcome skipped_run(Transport t, Mode m, std::size_t readers, const std::string& why) {
  RunOutcome out = peer_run_base(t, m, readers);
  out.skipped = true;
  out.error = why;
  return out;
}

}  // namespace tickshm::bench
