// Lays a Snapshot out as styled lines of text: the one layout behind both the ncurses screen and
// the plain-text --snapshot. Reads only const Snapshot& and the ViewState.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "snapshot.hpp"
#include "view.hpp"

namespace tickshm::dash {

// Semantic roles; the terminal decides what colour each one is (or none, for --snapshot).
enum class Role : std::uint8_t {
  kNormal,
  kTitle,
  kHeading,
  kUp,
  kDown,
  kGood,
  kWarn,
  kBad,
  kDim,
  kSpark,
  kKey
};

struct Span {
  std::string text;
  Role role = Role::kNormal;
  bool bold = false;
};

struct Line {
  std::vector<Span> spans;
  bool selected = false;  // the market table's cursor row: drawn reversed
  std::string text() const;
};

struct FrameOptions {
  std::size_t width = 120;
  std::size_t height = 0;  // 0: no limit (--snapshot shows every symbol, reader and algo)
  bool unicode = true;     // sparkline blocks and arrows, or ASCII
};

struct Frame {
  std::vector<Line> lines;
  std::size_t market_rows = 0;     // rows of the market table drawn: the page for PgUp/PgDn
  std::size_t visible_count = 0;   // symbols that pass the filter
  bool readers_collapsed = false;  // panels given less than they need, in collapse order
  bool algos_collapsed = false;
  // What the keys act on (see KeyContext).
  std::string selected_symbol, selected_algo;
  std::size_t algo_count = 0;
  std::size_t sort_row = SIZE_MAX;                              // line index of the market heading
  std::vector<std::pair<std::size_t, std::size_t>> sort_cells;  // [x0, x1) per SortColumn
  std::string text() const;  // plain text, lines right-trimmed and joined with '\n'
};

// Vertical space for each part of the screen at a given height (panels collapse: algos first,
// then readers, so the market table keeps at least kMinMarketRows rows).
inline constexpr std::size_t kMinMarketRows = 5;
struct Layout {
  std::size_t market_rows = 0;
  std::size_t reader_rows = 0;  // table rows of the readers panel
  std::size_t algo_rows = 0;
  bool show_readers = true, show_algos = true;    // false: the panel is one summary line
  bool hide_readers = false, hide_algos = false;  // true: not even a summary line
};
Layout plan_layout(std::size_t height, std::size_t symbols, std::size_t readers, std::size_t algos);

Frame build_frame(const Snapshot& snap, const ViewState& view, const FrameOptions& opt);

// The header: the feed's name and state first, then whole fields while they fit in `width`.
Line header_line(const Snapshot& s, const ViewState& v, std::size_t width);

// The main screen's parts, each in its own file; they append their lines to fr. A panel with `full`
// false is one summary line (the terminal is too short for its table).
void add_market_panel(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                      const std::vector<std::size_t>& visible, std::size_t rows);
void add_readers_panel(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows, bool full);
void add_algos_panel(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                     std::size_t rows, bool full);
Line footer_line(const ViewState& v, bool unicode, std::size_t width);
void add_help(Frame& fr);

// The drill-down views, each in its own file; they append their body lines to fr.
void add_symbol_view(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                     std::size_t rows);
void add_algo_view(Frame& fr, const Snapshot& s, const ViewState& v, const FrameOptions& opt,
                   std::size_t rows);
void add_readers_view(Frame& fr, const Snapshot& s, const FrameOptions& opt, std::size_t rows);

}  // namespace tickshm::dash
