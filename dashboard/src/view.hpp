// What the user chose to see (sort, filter, selection, pause, help) and the keys that change it.
#pragma once

#include <cstddef>
#include <string>

#include "snapshot.hpp"

namespace tickshm::dash {

struct ViewState {
  SortColumn sort = SortColumn::kSymbol;
  bool reverse = false;
  std::string filter;        // applied symbol prefix
  bool editing = false;      // the "/" prompt is open
  std::string edit_buffer;   // what is typed at the prompt
  std::size_t selected = 0;  // row of the visible (filtered, sorted) market table
  std::size_t top = 0;       // first visible row drawn
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
};

enum class KeyAction { kNone, kRedraw, kQuit };

// Applies one key. visible_rows: rows in the market table now; page: rows it shows at once.
KeyAction handle_key(ViewState& v, int key, std::size_t visible_rows, std::size_t page);

// Keeps the selection inside the table and on screen (after a resize, a filter, fewer symbols).
void clamp_selection(ViewState& v, std::size_t visible_rows, std::size_t page);

}  // namespace tickshm::dash
