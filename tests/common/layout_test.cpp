// Layout: geometry of the data segment, the sequence-word encoding and the verify checksum.
#include <gtest/gtest.h>

#include "tickshm/algo_status_layout.hpp"
#include "tickshm/control_layout.hpp"
#include "tickshm/layout.hpp"

namespace tickshm {

TEST(Layout, shouldPageAlignQuoteBoardAndRingWhenSymbolCountIsOdd) {
  const DataGeometry g = data_geometry(1024, 7);
  EXPECT_EQ(g.symbol_dir_offset, 4096u);
  EXPECT_EQ(g.quote_board_offset % kPageSize, 0u);
  EXPECT_EQ(g.ring_offset % kPageSize, 0u);
  EXPECT_GE(g.quote_board_offset, g.symbol_dir_offset + 7 * sizeof(SymbolEntry));
  EXPECT_GE(g.ring_offset, g.quote_board_offset + 7 * sizeof(QuoteRecord));
  EXPECT_EQ(g.total_size, g.ring_offset + 1024 * 64);
}

TEST(Layout, shouldTellNotYetWritingAndPublishedApartWhenEncodingSequenceWords) {
  EXPECT_LT(seq_published(4), seq_writing(5));
  EXPECT_LT(seq_writing(5), seq_published(5));
  EXPECT_EQ(seq_published(0), 2u);
  EXPECT_EQ(seq_writing(0) % 2, 1u);
}

TEST(Layout, shouldChangeChecksumWhenAnyPayloadFieldOrSequenceChanges) {
  TickRecord t{};
  t.publish_ns = 1;
  t.event_ns = 2;
  t.symbol = 3;
  t.bid = 4;
  t.ask = 5;
  t.price = 6;
  t.size = 7;
  t.bid_size = 8;
  t.ask_size = 9;
  const std::uint32_t base = tick_checksum(10, t);
  EXPECT_NE(base, tick_checksum(11, t));
  for (auto* f : {&t.bid, &t.ask, &t.price, &t.size, &t.bid_size, &t.ask_size, &t.symbol}) {
    TickRecord u = t;
    *reinterpret_cast<std::uint32_t*>(reinterpret_cast<std::byte*>(&u) +
                                      (reinterpret_cast<std::byte*>(f) - reinterpret_cast<std::byte*>(&t))) +=
        1;
    EXPECT_NE(base, tick_checksum(10, u));
  }
  TickRecord u = t;
  u.checksum = 12345;  // the checksum word itself is not covered
  EXPECT_EQ(base, tick_checksum(10, u));
}

TEST(Layout, shouldSizeAlgoStatusFromItsCapacityWhenComputed) {
  EXPECT_EQ(algo_status_size(1), 512u + 256u + 64u + 64u * 64u);
  EXPECT_EQ(kControlSize, 4096u + 64u * 256u);
}

}  // namespace tickshm
