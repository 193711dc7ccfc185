// Validation: every header field corrupted in turn, truncated and foreign files, each its own error.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <memory>

#include "common_fixture.hpp"
#include "tickshm/cleanup.hpp"
#include "tickshm/segment.hpp"

namespace tickshm::test {
namespace {

// The bytes of a real, freshly published segment, in a page-aligned private buffer.
struct Image {
  std::shared_ptr<std::byte> buf;
  std::size_t size = 0;
  DataHeader& header() { return *reinterpret_cast<DataHeader*>(buf.get()); }
};

Image real_segment_image() {
  const std::string seg = unique_segment("img");
  ShmGuard guard(seg);
  auto pub = Publisher::create(publisher_options(seg, 64));
  EXPECT_TRUE(pub.ok());
  for (std::uint64_t s = 0; s < 10; ++s) pub->publish(make_tick(s));
  auto view = DataView::open(seg);
  EXPECT_TRUE(view.ok());
  Image img;
  img.size = view->size();
  img.buf =
      std::shared_ptr<std::byte>(static_cast<std::byte*>(std::aligned_alloc(kPageSize, img.size)), std::free);
  std::memcpy(img.buf.get(), view->bytes(), img.size);
  return img;
}

void plant(const std::string& seg, const void* bytes, std::size_t n, mode_t mode = 0600) {
  const std::string path = "/tickshm." + seg;
  const int fd = shm_open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, mode);
  ASSERT_GE(fd, 0);
  if (n > 0) {
    ASSERT_EQ(write(fd, bytes, n), static_cast<ssize_t>(n));
  }
  close(fd);
}

}  // namespace

TEST(Validation, shouldAcceptARealSegmentWhenUntouched) {
  Image img = real_segment_image();
  EXPECT_TRUE(validate_data_segment(img.buf.get(), img.size).ok());
}

TEST(Validation, shouldGiveItsOwnErrorWhenEachHeaderFieldIsCorrupted) {
  struct Case {
    const char* field;
    std::function<void(DataHeader&)> corrupt;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"magic", [](DataHeader& h) { h.magic[0] = 'X'; }, "not a tickshm data segment"},
      {"layout_version", [](DataHeader& h) { h.layout_version = 99; }, "layout version 99"},
      {"state", [](DataHeader& h) { h.state = 7; }, "state 7"},
      {"header_size", [](DataHeader& h) { h.header_size = 100; }, "header_size 100"},
      {"tick_size", [](DataHeader& h) { h.tick_size = 32; }, "tick_size 32"},
      {"quote_size", [](DataHeader& h) { h.quote_size = 64; }, "quote_size 64"},
      {"symbol_entry_size", [](DataHeader& h) { h.symbol_entry_size = 1; }, "symbol_entry_size 1"},
      {"price_scale", [](DataHeader& h) { h.price_scale = 100; }, "price_scale 100"},
      {"ring_capacity pow2", [](DataHeader& h) { h.ring_capacity = 100; }, "not a power of two"},
      {"ring_capacity range", [](DataHeader& h) { h.ring_capacity = 1ULL << 40; }, "outside [2, 2^26]"},
      {"symbol_capacity", [](DataHeader& h) { h.symbol_capacity = 0; }, "symbol_capacity 0"},
      {"symbol_count", [](DataHeader& h) { h.symbol_count = h.symbol_capacity + 1; },
       "exceeds symbol_capacity"},
      {"symbol_dir_offset", [](DataHeader& h) { h.symbol_dir_offset = 8; }, "symbol_dir_offset 8"},
      {"quote_board_offset", [](DataHeader& h) { h.quote_board_offset += 4096; }, "quote_board_offset"},
      {"ring_offset", [](DataHeader& h) { h.ring_offset = 12; }, "ring_offset 12"},
      {"total_size", [](DataHeader& h) { h.total_size += 64; }, "disagrees with the geometry"},
  };
  for (const Case& c : cases) {
    Image img = real_segment_image();
    c.corrupt(img.header());
    const Status st = validate_data_segment(img.buf.get(), img.size);
    ASSERT_FALSE(st.ok()) << c.field;
    EXPECT_EQ(st.error().code, Errc::kInvalidSegment) << c.field;
    EXPECT_NE(st.error().message.find(c.expected), std::string::npos)
        << c.field << ": " << st.error().message;
  }
}

TEST(Validation, shouldRefuseWhenFileSizeDisagreesOrSymbolNameIsUnterminated) {
  Image img = real_segment_image();
  const Status shorter = validate_data_segment(img.buf.get(), img.size - 64);
  ASSERT_FALSE(shorter.ok());
  EXPECT_NE(shorter.error().message.find("disagrees with the file size"), std::string::npos);

  auto* dir = reinterpret_cast<SymbolEntry*>(img.buf.get() + img.header().symbol_dir_offset);
  std::memset(dir[1].name, 'A', kSymbolNameLength);
  const Status st = validate_data_segment(img.buf.get(), img.size);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("symbol 1 has no valid name"), std::string::npos);
}

TEST(Validation, shouldReportNotReadyWhenSegmentIsStillBeingCreated) {
  Image img = real_segment_image();
  img.header().state = static_cast<std::uint32_t>(SegmentState::kCreating);
  const Status st = validate_data_segment(img.buf.get(), img.size);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Errc::kNotReady);
}

TEST(Validation, shouldRefuseWithoutSignalWhenPlantedFilesAreEmptyTruncatedOrForeign) {
  const std::string seg = unique_segment("plant");
  ShmGuard guard(seg);
  Image img = real_segment_image();
  const DataHeader h = img.header();

  plant(seg, nullptr, 0);
  auto r = DataView::open(seg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kNotReady);
  EXPECT_NE(r.error().message.find("empty"), std::string::npos);

  // Truncated at every section boundary (and inside the header): never SIGBUS, always an error.
  for (std::size_t cut :
       {std::size_t{1}, std::size_t{100}, std::size_t{4095}, std::size_t{h.symbol_dir_offset},
        std::size_t{h.quote_board_offset}, std::size_t{h.ring_offset}, img.size - 64}) {
    plant(seg, img.buf.get(), cut);
    auto t = DataView::open(seg);
    ASSERT_FALSE(t.ok()) << cut;
    EXPECT_EQ(t.error().code, Errc::kInvalidSegment) << cut;
    EXPECT_TRUE(t.error().message.find("truncated") != std::string::npos ||
                t.error().message.find("file size") != std::string::npos)
        << t.error().message;
  }

  const std::string text(8192, 'z');
  plant(seg, text.data(), text.size());
  auto f = DataView::open(seg);
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.error().message.find("not a tickshm data segment"), std::string::npos);

  auto missing = DataView::open(unique_segment("absent"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
}

TEST(Validation, shouldRefuseWhenTheNameIsADirectory) {
  const std::string seg = unique_segment("dir");
  ShmGuard guard(seg);
  const std::string dir = "/dev/shm/tickshm." + seg;
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  auto r = DataView::open(seg);
  rmdir(dir.c_str());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("directory"), std::string::npos) << r.error().message;
}

TEST(Validation, shouldRefuseBeforeAnySystemCallWhenNameIsBad) {
  auto r = DataView::open("../etc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

}  // namespace tickshm::test

namespace tickshm::test {

TEST(Clean, shouldRemoveDeadSegmentsButKeepLiveAndFreshlyCreatingOnes) {
  const std::string live = unique_segment("clean-live");
  const std::string dead = unique_segment("clean-dead");
  const std::string creating = unique_segment("clean-new");
  ShmGuard g1(live), g2(dead), g3(creating);
  auto pub = Publisher::create(publisher_options(live));
  ASSERT_TRUE(pub.ok());
  Child c = Child::fork_fn([&]() -> int {
    auto p = Publisher::create(publisher_options(dead));
    std::fflush(nullptr);
    _exit(p.ok() ? 0 : 2);  // dies without closing: its segments stay behind
  });
  ASSERT_EQ(c.wait_for(std::chrono::seconds(10)), 0);
  const int fd =
      shm_open(("/tickshm." + creating).c_str(), O_RDWR | O_CREAT, 0600);  // empty: "being created"
  ASSERT_GE(fd, 0);
  close(fd);

  auto removed = [](const std::vector<CleanDecision>& ds) {
    std::size_t n = 0;
    for (const auto& d : ds) n += d.removed ? 1 : 0;
    return n;
  };
  EXPECT_EQ(removed(clean_proven_dead(dead)), 2u);  // data and control
  EXPECT_TRUE(g2.leftovers().empty());
  const auto kept = clean_proven_dead(live);
  EXPECT_EQ(removed(kept), 0u);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_NE(kept[0].reason.find("writer lock"), std::string::npos) << kept[0].reason;
  EXPECT_EQ(g1.leftovers().size(), 2u);
  EXPECT_EQ(removed(clean_proven_dead(creating)), 0u);
  EXPECT_EQ(g3.leftovers().size(), 1u);
}

}  // namespace tickshm::test
