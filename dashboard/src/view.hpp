// What the user chose to see (sort, filter, selection, pause, help) and the keys that change it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "snapshot.hpp"

namespace tickshm::dash {

// Which screen is up: the overview, or one of the drill-down views.
enum class Screen { kMain, kSymbol, kAlgo, kReaders };
// Which table of the overview the cursor keys move in (Tab switches).
enum class Focus { kMarket, kAlgos };

struct ViewState {
  Screen screen = Screen::kMain;
  Focus focus = Focus::kMarket;
  std::string detail;  // the symbol or algo name the drill-down view shows
  std::size_t algo_selected = 0;
  SortColumn sort = SortColumn::kSymbol;
  bool reverse = false;
  std::string filter;         // symbol substring, applied while typed
  bool editing = false;       // the "/" prompt is open
  std::string edit_buffer;    // what is typed at the prompt
  std::string filter_before;  // the filter when the prompt opened: Esc puts it back
  std::size_t selected = 0;   // row of the visible (filtered, sorted) market table
  std::size_t top = 0;        // first visible row drawn
  bool paused = false;
  bool help = false;
};

// Keys as the view sees them: printable characters are themselves, the rest are named here so this
// code needs no ncurses (the terminal maps KEY_UP etc. onto these).
enum Key : int {
  kKeyUp = 0x10000,
  kKeyDown,
  kKeyPageUp,
  kKeyPageDown,
  kKeyHome,
  kKeyEnd,
  kKeyBackspace,
  kKeyEnter,
  kKeyEscape,
  kKeyResize,
  kKeyTab,
  kKeyLeft,
  kKeyRight,
  kKeyMouseBase = 0x20000,  // a click: kKeyMouseBase + y * kMouseRowStride + x
};
inline constexpr int kMouseRowStride = 4096;

enum class KeyAction { kNone, kRedraw, kQuit };

// What the screen shows now, for the keys that act on it (from the last Frame).
struct KeyContext {
  std::size_t visible_rows = 0;  // rows of the market table that pass the filter
  std::size_t page = 0;          // market rows shown at once
  std::string selected_symbol;   // the market table's selected row ("" = none)
  std::size_t algo_count = 0;
  std::string selected_algo;                                    // the algos table's selected row ("" = none)
  std::size_t sort_row = SIZE_MAX;                              // screen row of the market table's heading
  std::vector<std::pair<std::size_t, std::size_t>> sort_cells;  // [x0, x1) per SortColumn, {0,0} = hidden
};

// Applies one key. visible_rows: rows in the market table now; page: rows it shows at once.
KeyAction handle_key(ViewState& v, int key, std::size_t visible_rows, std::size_t page);
KeyAction handle_key(ViewState& v, int key, const KeyContext& ctx);

// The key that sorts by column c directly ('1' for the symbol ... '9' for ticks).
char sort_key(SortColumn c) noexcept;

// Keeps the selection inside the table and on screen (after a resize, a filter, fewer symbols).
void clamp_selection(ViewState& v, std::size_t visible_rows, std::size_t page);

}  // namespace tickshm::dash
