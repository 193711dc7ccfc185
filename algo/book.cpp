// Position and P&L arithmetic (see book.hpp).
#include "book.hpp"

namespace tickshm::algo {

Money Book::apply_fill(Side side, std::int64_t quantity, std::int64_t price, Money commission) noexcept {
  if (quantity <= 0) return 0;
  const std::int64_t signed_qty = side == Side::kBuy ? quantity : -quantity;
  Money realized = -commission;
  commissions_ += commission;

  // The part of the fill that reduces the open position (opposite sign), at most the whole position.
  const bool reduces = (position_ > 0 && signed_qty < 0) || (position_ < 0 && signed_qty > 0);
  std::int64_t opened = signed_qty;
  if (reduces) {
    const std::int64_t held = position_ < 0 ? -position_ : position_;
    const std::int64_t closing = quantity < held ? quantity : held;
    // Share of the basis that leaves with `closing` shares; __int128 because cost x shares can
    // exceed 2^63 long before either factor does.
    const auto released = static_cast<Money>(static_cast<__int128>(open_cost_) * closing / held);
    const std::int64_t closed_signed = position_ > 0 ? closing : -closing;
    // Long: sold `closing` at price against `released` of basis. Short: bought back likewise.
    realized += closed_signed * price - released;
    open_cost_ -= released;
    position_ -= closed_signed;
    opened = signed_qty + closed_signed;  // what is left of the fill after closing
  }
  if (opened != 0) {
    position_ += opened;
    open_cost_ += opened * price;
  }
  if (position_ == 0) open_cost_ = 0;  // flat: no basis can remain (released the whole of it)
  realized_ += realized;
  return realized;
}

std::int64_t Book::avg_cost() const noexcept {
  if (position_ == 0) return 0;
  const std::int64_t held = position_ < 0 ? -position_ : position_;
  const Money basis = open_cost_ < 0 ? -open_cost_ : open_cost_;
  return (basis + held / 2) / held;
}

}  // namespace tickshm::algo
