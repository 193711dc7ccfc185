// The number formatters people read, the feed/reader classification, and printable() on hostile text.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tickshm/feed_state.hpp"
#include "tickshm/format.hpp"
#include "tickshm/text.hpp"

namespace tickshm {
namespace {

TEST(Format, shouldScaleCountsDurationsAndRates) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(9'999), "9999");
  EXPECT_EQ(format_count(12'345), "12.3k");
  EXPECT_EQ(format_count(4'560'000), "4.56M");
  EXPECT_EQ(format_count(UINT64_MAX), "18446744.07T");
  EXPECT_EQ(format_ns(0), "-");
  EXPECT_EQ(format_ns(850), "850ns");
  EXPECT_EQ(format_ns(12'300), "12.3us");
  EXPECT_EQ(format_ns(1'200'000), "1.20ms");
  EXPECT_EQ(format_ns(2'500'000'000), "2.5s");
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(723'000'000'000ULL), "12m03s");
  EXPECT_EQ(format_duration(11'045'000'000'000ULL), "3h04m05s");
  EXPECT_EQ(format_duration(183'600'000'000'000ULL), "2d03h");
  EXPECT_EQ(format_rate(0.2), "0");
  EXPECT_EQ(format_rate(std::nan("")), "0");
  EXPECT_EQ(format_rate(950), "950");
  EXPECT_EQ(format_rate(1'250'000), "1.25M");
  EXPECT_EQ(format_pct(1.234), "+1.23%");
  EXPECT_EQ(format_pct(-0.5), "-0.50%");
  EXPECT_EQ(format_pct(0.001), "0.00%");
  EXPECT_EQ(format_pct(INFINITY), "-");
  EXPECT_EQ(format_hex64(0xABCD), "000000000000abcd");
  EXPECT_EQ(format_mode(0100660), "0660");
}

TEST(Format, shouldClassifyFeedInPriorityOrder) {
  EXPECT_EQ(classify_feed({false, true, false, 0}), FeedState::kWaiting);
  EXPECT_EQ(classify_feed({true, true, false, 0}), FeedState::kClosed);
  EXPECT_EQ(classify_feed({true, false, false, 0}), FeedState::kDead);
  EXPECT_EQ(classify_feed({true, false, true, kFeedStaleNs + 1}), FeedState::kStale);
  EXPECT_EQ(classify_feed({true, false, true, kFeedStaleNs}), FeedState::kLive);
  EXPECT_STREQ(feed_state_name(FeedState::kWaiting), "WAITING");
  EXPECT_EQ(classify_reader(true, 100, 100 + kReaderStaleNs + 1), ReaderState::kStale);
  EXPECT_EQ(classify_reader(true, 200, 100), ReaderState::kAlive);  // heartbeat sampled after "now"
  EXPECT_EQ(classify_reader(false, 100, 100), ReaderState::kDead);
  EXPECT_EQ(reader_lag(5, 9), 0u);
}

TEST(Text, shouldKeepPrintableUtf8AndEscapeEverythingElse) {
  EXPECT_EQ(printable("algo-1.x_Y"), "algo-1.x_Y");
  EXPECT_EQ(printable("caf\xC3\xA9"), "caf\xC3\xA9");  // é stays
  EXPECT_EQ(printable("\x1b[2Jx"), "\\x1b[2Jx");       // ESC never reaches the terminal
  EXPECT_EQ(printable("a\x07\x7f"), "a\\x07\\x7f");    // BEL, DEL
  EXPECT_EQ(printable("\xC2\x9B"
                      "31m"),
            "\\xc2\\x9b31m");                               // C1 CSI as UTF-8
  EXPECT_EQ(printable("\xff\xfe"), "\\xff\\xfe");           // not UTF-8 at all
  EXPECT_EQ(printable("\xC0\xAF"), "\\xc0\\xaf");           // overlong '/'
  EXPECT_EQ(printable("\xED\xA0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(printable("\xE2\x82"), "\\xe2\\x82");           // cut short
  EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
  for (const char* s : {"\x1b]0;owned\x07", "\xff", "\xC0\xAF", "ok"}) {
    const std::string p = printable(s);
    EXPECT_TRUE(is_valid_utf8(p)) << p;
    EXPECT_EQ(p.find('\x1b'), std::string::npos);
  }
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
}

TEST(Text, shouldWriteTheFiveMarkupCharactersAsEntitiesWhenEscapingForXml) {
  EXPECT_EQ(xml_escape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&apos;d");
  EXPECT_EQ(xml_escape("plain text"), "plain text");
  EXPECT_EQ(xml_escape(""), "");
}

}  // namespace
}  // namespace tickshm
