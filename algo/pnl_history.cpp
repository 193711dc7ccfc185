// Taking P&L samples into the status ring and the thinned whole-run history.
#include "pnl_history.hpp"

#include "tickshm/clock.hpp"

namespace tickshm::algo {

void PnlHistory::take(std::uint64_t now, const Engine& engine) {
  next_sample_ = now + kSampleNs;
  PnlSample p{};
  p.sample_id = ++taken_;
  p.time_unix_ns = unix_now_ns();
  p.total_pnl = engine.total_pnl();
  p.realized = engine.realized();
  p.gross_shares = engine.gross_shares();
  p.net_shares = engine.net_shares();
  p.orders = engine.counters().orders;
  p.fills = engine.counters().fills;
  recent_[p.sample_id % kAlgoPnlCapacity] = p;
  if (history_.size() >= kMaxHistory) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < history_.size(); i += 2) history_[k++] = history_[i];
    history_.resize(k);
  }
  history_.push_back(p);
}

void PnlHistory::recent(std::vector<PnlSample>& out) const {
  out.clear();
  const std::uint64_t first = taken_ > kAlgoPnlCapacity ? taken_ - kAlgoPnlCapacity + 1 : 1;
  for (std::uint64_t id = first; id <= taken_; ++id) out.push_back(recent_[id % kAlgoPnlCapacity]);
}

}  // namespace tickshm::algo
