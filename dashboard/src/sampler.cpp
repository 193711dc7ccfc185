// Sampling shared memory into the dashboard's Snapshot; follows the feed across restarts (epochs).
#include "sampler.hpp"

#include <algorithm>

#include "tape.hpp"
#include "tickshm/algo_status.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/text.hpp"

namespace tickshm::dash {

namespace {
constexpr std::uint64_t kRateWindowNs = 1'000'000'000ULL;
constexpr std::uint64_t kFirstRateNs = 200'000'000ULL;  // a first estimate, so --snapshot shows one
}  // namespace

Sampler::Sampler(std::string feed, SamplerOptions opt) : feed_(std::move(feed)), opt_(opt) {}

void Sampler::attach(DataView view, std::uint64_t now_ns) {
  data_.emplace(std::move(view));
  ctl_.reset();
  next_ctl_open_ns_ = 0;
  last_error_.clear();
  history_.assign(data_->symbol_count(), History{});
  rate_t0_ = now_ns;
  rate_c0_ = data_->write_cursor();
  rate_ = 0;
  rate_final_ = false;
  next_spark_ns_ = 0;
}

// A WAITING dashboard looks for the feed; a DEAD or CLOSED one looks for a new epoch under the same
// name (a restarted feed) and switches to it. A failed look keeps what is shown.
void Sampler::maybe_reopen(std::uint64_t now_ns, bool writer_gone) {
  if (data_ && !writer_gone) return;
  if (now_ns < next_reopen_ns_) return;
  next_reopen_ns_ = now_ns + opt_.reopen_period_ns;
  auto r = DataView::open(feed_);
  if (!r) {
    if (!data_) last_error_ = r.error().message + " (retrying)";
    return;
  }
  if (data_ && r->epoch() == data_->epoch()) return;  // still the old segment: nothing new yet
  attach(std::move(r).value(), now_ns);
}

void Sampler::sample(Snapshot& out, std::uint64_t now_ns) {
  out.taken_ns = now_ns;
  out.taken_unix_ns = unix_now_ns();
  out.spark_period_ns = opt_.spark_period_ns;
  out.feed.name = feed_;

  WriterHealth health = WriterHealth::kLive;
  if (data_) health = data_->health(now_ns);
  maybe_reopen(now_ns, health == WriterHealth::kDead || health == WriterHealth::kClosed);

  if (!data_) {
    out.feed = FeedInfo{};
    out.feed.name = feed_;
    out.feed.state = FeedState::kWaiting;
    out.feed.detail = printable(last_error_);
    out.symbols.clear();
    out.readers.clear();
    out.tape.clear();
    out.tape_symbol = tape_symbol_;
    sample_algos(out, now_ns);  // an algo may already wait for the feed
    return;
  }
  health = data_->health(now_ns);

  const DataHeader& h = data_->header();
  const std::uint64_t hb = data_->heartbeat_ns();
  FeedFacts facts;
  facts.segment_valid = true;
  facts.closed = health == WriterHealth::kClosed || data_->state() == SegmentState::kClosed;
  facts.writer_alive = health != WriterHealth::kDead;
  facts.heartbeat_age_ns = now_ns > hb ? now_ns - hb : 0;
  // health() only asks /proc once the heartbeat is stale: trust its verdict on staleness too.
  if (health == WriterHealth::kLive) facts.heartbeat_age_ns = std::min(facts.heartbeat_age_ns, kFeedStaleNs);

  FeedInfo& f = out.feed;
  f.state = classify_feed(facts);
  f.detail.clear();
  f.epoch = data_->epoch();
  f.writer_pid = h.writer_pid;
  f.published = data_->write_cursor();
  f.symbol_count = data_->symbol_count();
  f.ring_capacity = h.ring_capacity;
  const std::uint64_t unix_now = unix_now_ns();
  f.uptime_ns = unix_now > h.created_unix_ns ? unix_now - h.created_unix_ns : 0;

  if (now_ns - rate_t0_ >= kRateWindowNs || (!rate_final_ && now_ns - rate_t0_ >= kFirstRateNs)) {
    const std::uint64_t dt = now_ns - rate_t0_;
    const std::uint64_t dc = f.published >= rate_c0_ ? f.published - rate_c0_ : 0;
    rate_ = static_cast<double>(dc) * 1e9 / static_cast<double>(dt);
    if (dt >= kRateWindowNs) {
      rate_t0_ = now_ns;
      rate_c0_ = f.published;
      rate_final_ = true;
    }
  }
  // A writer that stopped publishing has no rate, whatever the last window said.
  f.ticks_per_sec = f.state == FeedState::kLive ? rate_ : 0;

  sample_symbols(out, now_ns);
  sample_readers(out, now_ns);
  sample_algos(out, now_ns);
  out.bridges.clear();
  for (const BridgeStatusSnapshot& b : read_bridge_statuses(feed_)) {
    out.bridges.push_back({bridge_direction_name(b.direction), printable(b.remote_feed), b.alive,
                           b.connected != 0, b.ticks, b.lost_ticks, b.gaps, b.rejected, b.reconnects,
                           b.lag_ns});
  }
  sample_tape(out);
}

void Sampler::sample_tape(Snapshot& out) {
  out.tape_symbol = tape_symbol_;
  out.tape.clear();
  if (tape_symbol_.empty() || !data_) return;
  for (std::uint32_t i = 0; i < data_->symbol_count(); ++i) {
    if (printable(data_->symbol_name(i)) == tape_symbol_) {  // the views name symbols as shown
      read_tape(*data_, i, kTapeRows, kTapeScan, out.tape);
      return;
    }
  }
}

void Sampler::sample_symbols(Snapshot& out, std::uint64_t now_ns) {
  const std::uint32_t n = data_->symbol_count();
  if (history_.size() != n) history_.resize(n);
  const bool spark_tick = now_ns >= next_spark_ns_;
  if (spark_tick) next_spark_ns_ = now_ns + opt_.spark_period_ns;
  spark_tick_ = spark_tick;
  const auto entries = data_->symbols();
  out.symbols.resize(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    SymbolRow& r = out.symbols[i];
    Quote q;
    if (!data_->read_quote(i, q)) q = Quote{};  // never whole: the writer is mid-update; show blanks
    r.index = i;
    r.symbol = printable(data_->symbol_name(i));
    r.reference = i < entries.size() ? entries[i].reference_price : 0;
    r.last = q.last;
    r.bid = q.bid;
    r.ask = q.ask;
    r.bid_size = q.bid_size;
    r.ask_size = q.ask_size;
    r.volume = q.volume;
    r.ticks = q.tick_count;
    r.open = q.open;
    r.high = q.high;
    r.low = q.low;
    r.trades = q.trade_count;
    r.last_size = q.last_size;

    History& hist = history_[i];
    const std::int64_t price = r.price();
    if (hist.last_price != 0 && price != hist.last_price) hist.changed_ns = now_ns;
    hist.last_price = price;
    r.fresh = hist.changed_ns != 0 && now_ns - hist.changed_ns < kFreshNs;
    if (spark_tick && r.mid() != 0) {
      hist.mids[hist.head] = r.mid();
      hist.head = (hist.head + 1) % kSparkPoints;
      hist.count = std::min(hist.count + 1, kSparkPoints);
    }
    r.spark.resize(hist.count);
    const std::size_t start = (hist.head + kSparkPoints - hist.count) % kSparkPoints;
    for (std::size_t k = 0; k < hist.count; ++k) r.spark[k] = hist.mids[(start + k) % kSparkPoints];
  }
}

void Sampler::sample_readers(Snapshot& out, std::uint64_t now_ns) {
  // The registry of a new epoch may appear a moment after its data segment.
  if ((!ctl_ || ctl_->epoch() != data_->epoch()) && now_ns >= next_ctl_open_ns_) {
    next_ctl_open_ns_ = now_ns + opt_.reopen_period_ns;
    auto c = ControlView::open(feed_, /*writable=*/false);
    if (c) ctl_.emplace(std::move(c).value());
  }
  out.readers.clear();
  if (!ctl_) return;
  const std::vector<ReaderInfo> infos = ctl_->readers();
  // Read after the registry: the cursor only grows, so a lag measured against it is never negative.
  const std::uint64_t published = data_->write_cursor();
  for (const ReaderInfo& ri : infos) {
    ReaderRow r;
    r.slot = ri.slot;
    r.name = printable(ri.name);  // registry text is untrusted: no escape sequence reaches the screen
    r.role = printable(ri.role);
    r.wait = wait_name(ri.wait);
    r.pid = ri.pid;
    r.state = classify_reader(ri.alive, ri.heartbeat_ns, now_ns);
    r.lag = r.state == ReaderState::kDead ? 0 : reader_lag(published, ri.cursor);
    r.received = ri.received;
    r.lost = ri.lost;
    r.p50_ns = ri.p50_ns;
    r.p99_ns = ri.p99_ns;
    r.p999_ns = ri.p999_ns;
    r.max_ns = ri.max_ns;
    LagHistory& lh = lag_history_[{ri.slot, ri.pid}];
    if (spark_tick_) {
      lh.lags[lh.head] = r.lag;
      lh.head = (lh.head + 1) % kSparkPoints;
      lh.count = std::min(lh.count + 1, kSparkPoints);
    }
    r.lag_history.resize(lh.count);
    const std::size_t start = (lh.head + kSparkPoints - lh.count) % kSparkPoints;
    for (std::size_t k = 0; k < lh.count; ++k) r.lag_history[k] = lh.lags[(start + k) % kSparkPoints];
    out.readers.push_back(std::move(r));
  }
  // Forget readers that left the registry, so a reused slot starts a history of its own.
  for (auto it = lag_history_.begin(); it != lag_history_.end();) {
    const bool present = std::any_of(infos.begin(), infos.end(), [&](const ReaderInfo& ri) {
      return ri.slot == it->first.first && ri.pid == it->first.second;
    });
    it = present ? std::next(it) : lag_history_.erase(it);
  }
}

void Sampler::sample_algos(Snapshot& out, std::uint64_t now_ns) {
  out.algos.clear();
  for (AlgoStatusSnapshot& s : read_all_algo_status(feed_)) {
    AlgoRow a;
    a.name = printable(s.name);
    a.strategy = printable(s.strategy);
    a.pid = s.pid;
    a.alive = s.alive;
    a.halted = s.totals.halted != 0;
    a.positions_held = s.totals.positions_held;
    a.realized = s.totals.realized;
    a.unrealized = s.totals.unrealized;
    a.total = s.totals.total_pnl;
    a.orders = s.totals.orders;
    a.fills = s.totals.fills;
    a.rejects = s.totals.rejects;
    a.params = printable(s.params);
    a.ticks = s.totals.ticks;
    a.lost = s.totals.lost;
    a.commissions = s.totals.commissions;
    a.max_drawdown = s.totals.max_drawdown;
    a.read_p50_ns = s.totals.read_p50_ns;
    a.read_p99_ns = s.totals.read_p99_ns;
    a.decide_p50_ns = s.totals.decide_p50_ns;
    a.decide_p99_ns = s.totals.decide_p99_ns;
    a.risk = s.risk;
    for (const PositionRecord& p : s.positions) a.gross_shares = add_sat(a.gross_shares, abs_sat(p.position));
    // Both clocks are this machine's CLOCK_MONOTONIC; a refusal time from the future counts as now.
    const std::uint64_t rr = s.risk.last_rate_reject_ns;
    a.throttled = a.alive && rr != 0 && (rr >= now_ns || now_ns - rr < kThrottledNs);
    a.positions = std::move(s.positions);
    a.fills_log = std::move(s.fills);
    a.pnl = std::move(s.pnl);
    // Both counters come from another process: saturate rather than wrap.
    const std::uint64_t bad = s.totals.bad_ticks, unverified = s.totals.verify_errors;
    a.bad_ticks = bad > UINT64_MAX - unverified ? UINT64_MAX : bad + unverified;
    a.halt_cause = s.totals.halt_cause;
    out.algos.push_back(std::move(a));
  }
  std::sort(out.algos.begin(), out.algos.end(),
            [](const AlgoRow& x, const AlgoRow& y) { return x.name < y.name; });
}

}  // namespace tickshm::dash
