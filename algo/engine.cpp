// The trading core (see engine.hpp).
#include "engine.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace tickshm::algo {

Engine::Engine(EngineConfig config, std::unique_ptr<Strategy> strategy)
    : config_(std::move(config)),
      strategy_(std::move(strategy)),
      risk_(config_.limits),
      sanity_(config_.limits.sanity) {}

std::vector<std::string> Engine::attach(const std::vector<SymbolInfo>& directory) {
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (std::uint32_t i = 0; i < books_.size(); ++i) by_name.emplace(books_[i].name, i);
  const bool all = config_.symbols.empty();
  const auto n = static_cast<std::uint32_t>(directory.size());
  book_of_.assign(n, kNoBook);
  tick_size_.assign(n, 1);
  bid_.assign(n, 0);
  ask_.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const SymbolInfo& s = directory[i];
    tick_size_[i] = s.tick_size == 0 ? 1 : s.tick_size;
    if (!all && std::find(config_.symbols.begin(), config_.symbols.end(), s.name) == config_.symbols.end())
      continue;
    auto it = by_name.find(s.name);
    if (it == by_name.end()) {
      it = by_name.emplace(s.name, static_cast<std::uint32_t>(books_.size())).first;
      books_.push_back(BookEntry{});
      books_.back().name = s.name;
    }
    book_of_[i] = it->second;
  }
  strategy_->reset(n);
  sanity_.reset(n);
  std::vector<std::string> missing;
  for (const auto& want : config_.symbols) {
    if (std::none_of(directory.begin(), directory.end(), [&](const SymbolInfo& s) { return s.name == want; }))
      missing.push_back(want);
  }
  return missing;
}

const Engine::BookEntry* Engine::find_book(const std::string& name) const {
  for (const auto& b : books_)
    if (b.name == name) return &b;
  return nullptr;
}

void Engine::refresh_totals(BookEntry& e) noexcept {
  const Money u = e.book.unrealized(), g = e.book.gross_exposure(), n = e.book.net_exposure();
  unrealized_ += u - e.unrealized;
  gross_ += g - e.gross;
  net_ += n - e.net;
  e.unrealized = u;
  e.gross = g;
  e.net = n;
}

void Engine::mark(std::uint32_t book, std::int64_t m) noexcept {
  BookEntry& e = books_[book];
  e.book.mark(m);
  refresh_totals(e);
}

void Engine::on_tick(const TickRecord& t, std::uint64_t seq, std::uint64_t now_ns) noexcept {
  ++counters_.ticks;
  // The index comes from shared memory: bound it before using it.
  if (t.symbol >= book_of_.size() || book_of_[t.symbol] == kNoBook) {
    ++counters_.skipped;
    return;
  }
  const std::uint32_t i = t.symbol;
  const std::uint32_t b = book_of_[i];
  const bool two_sided = t.bid > 0 && t.ask >= t.bid;
  // The strategy reads the mid of the quote; a trade without a quote falls back to its price.
  std::int64_t price = 0;
  if (two_sided)
    price = (std::int64_t{t.bid} + std::int64_t{t.ask}) / 2;
  else if (t.kind == static_cast<std::uint8_t>(TickKind::kTrade) && t.price > 0)
    price = t.price;
  if (const BadTick bad = sanity_.check(t, price); bad != BadTick::kNone) {
    ++counters_.bad_ticks;
    ++counters_.bad_by[static_cast<std::size_t>(bad)];
    last_bad_ = BadTickRecord{bad, i, seq, t.bid, t.ask, t.price, sanity_.reference(i)};
    if (risk_.observe_bad_ticks(now_ns)) halt_event_ = true;
    return;
  }
  if (two_sided) {
    bid_[i] = t.bid;
    ask_[i] = t.ask;
  }
  if (price == 0) {
    ++counters_.skipped;
    return;
  }
  mark(b, price);
  if (risk_.observe_pnl(total_pnl())) halt_event_ = true;
  const Signal s = strategy_->on_price(i, price);
  if (s != Signal::kNone) act(i, b, s, t, seq, now_ns);
}

void Engine::act(std::uint32_t i, std::uint32_t b, Signal s, const TickRecord& t, std::uint64_t seq,
                 std::uint64_t now_ns) noexcept {
  BookEntry& e = books_[b];
  const std::int64_t target =
      s == Signal::kLong ? config_.order_size : (s == Signal::kShort ? -config_.order_size : 0);
  // Edge-triggered: a stance already acted on (filled or refused) is not sent again.
  if (target == e.target) return;
  if (bid_[i] == 0 || ask_[i] == 0) return;  // no quote to fill against yet: try on a later tick
  e.target = target;
  ++counters_.signals;
  const std::int64_t qty = target - e.book.position();
  if (qty == 0) return;

  const Money new_gross = gross_ - e.gross + (target < 0 ? -target : target) * e.book.last_mark();
  const Reject r = risk_.check(target, new_gross, now_ns);
  if (r != Reject::kNone) {
    ++counters_.rejects;
    ++counters_.rejects_by[static_cast<std::size_t>(r)];
    return;
  }
  ++counters_.orders;
  ++e.orders;

  // Market order against the quote the decision was made on, moved by the slippage.
  const Side side = qty > 0 ? Side::kBuy : Side::kSell;
  const std::int64_t shares = qty > 0 ? qty : -qty;
  const std::int64_t slip = std::int64_t{config_.slippage_ticks} * tick_size_[i];
  const std::int64_t price = side == Side::kBuy ? ask_[i] + slip : std::max<std::int64_t>(bid_[i] - slip, 1);
  const Money commission = config_.commission_per_share * shares;
  const Money realized = e.book.apply_fill(side, shares, price, commission);
  realized_ += realized;
  commissions_ += commission;
  refresh_totals(e);
  ++counters_.fills;
  ++e.fills;

  FillRecord& f = fills_[counters_.fills % kAlgoFillCapacity];
  f.fill_id = counters_.fills;
  f.time_unix_ns = t.event_ns;
  f.symbol_index = i;
  f.side = static_cast<std::int32_t>(side);
  f.quantity = shares;
  f.price = price;
  f.commission = commission;
  f.realized = realized;
  f.tick_seq = seq;
  if (risk_.observe_pnl(total_pnl())) halt_event_ = true;
}

void Engine::recent_fills(std::vector<FillRecord>& out) const {
  out.clear();
  const std::uint64_t n = counters_.fills;
  const std::uint64_t first = n > kAlgoFillCapacity ? n - kAlgoFillCapacity + 1 : 1;
  for (std::uint64_t id = first; id <= n; ++id) out.push_back(fills_[id % kAlgoFillCapacity]);
}

void Engine::fill_status(AlgoTotals& t, std::vector<PositionRecord>& positions) const {
  t.orders = counters_.orders;
  t.fills = counters_.fills;
  t.rejects = counters_.rejects;
  t.halted = risk_.halted() ? 1 : 0;
  t.halt_cause = static_cast<std::uint32_t>(risk_.halt_cause());
  t.bad_ticks = counters_.bad_ticks;
  auto by = [&](BadTick b) {
    return static_cast<std::uint32_t>(
        std::min<std::uint64_t>(counters_.bad_by[static_cast<std::size_t>(b)], UINT32_MAX));
  };
  t.bad_zero_price = by(BadTick::kZeroPrice);
  t.bad_crossed = by(BadTick::kCrossed);
  t.bad_wide_spread = by(BadTick::kWideSpread);
  t.bad_jump = by(BadTick::kJump);
  t.bad_malformed = by(BadTick::kMalformed);
  t.realized = realized_;
  t.unrealized = unrealized_;
  t.total_pnl = total_pnl();
  t.commissions = commissions_;
  t.gross_exposure = gross_;
  t.net_exposure = net_;
  t.max_drawdown = risk_.max_drawdown();
  std::uint64_t held = 0;
  positions.resize(books_.size());
  for (std::size_t k = 0; k < books_.size(); ++k) {
    const BookEntry& e = books_[k];
    PositionRecord& p = positions[k];
    p = PositionRecord{};
    std::memcpy(p.symbol, e.name.data(), std::min(e.name.size(), sizeof p.symbol - 1));
    p.position = e.book.position();
    p.avg_cost = e.book.avg_cost();
    p.realized = e.book.realized();
    p.unrealized = e.book.unrealized();
    p.mark = e.book.last_mark();
    p.orders = e.orders;
    p.fills = e.fills;
    if (p.position != 0) ++held;
  }
  t.positions_held = held;
  t.positions_used = books_.size();
}

}  // namespace tickshm::algo
