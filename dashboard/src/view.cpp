// Key handling for the dashboard: pure state changes, tested without a terminal.
#include "view.hpp"

#include <algorithm>

namespace tickshm::dash {

namespace {
constexpr std::size_t kMaxFilterLength = 15;  // symbol names are at most 15 characters

bool is_symbol_char(int key) {
  return (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z') || (key >= '0' && key <= '9') ||
         key == '.' || key == '-' || key == '_';
}

KeyAction handle_prompt_key(ViewState& v, int key) {
  switch (key) {
    case kKeyEnter:
    case '\n':
    case '\r':
      v.filter = v.edit_buffer;
      v.editing = false;
      v.selected = 0;
      v.top = 0;
      return KeyAction::kRedraw;
    case kKeyEscape:
      v.editing = false;
      v.edit_buffer = v.filter;
      return KeyAction::kRedraw;
    case kKeyBackspace:
    case 127:
    case 8:
      if (!v.edit_buffer.empty()) v.edit_buffer.pop_back();
      return KeyAction::kRedraw;
    default:
      // Anything that cannot be in a symbol name is ignored rather than filtering everything away.
      if (is_symbol_char(key) && v.edit_buffer.size() < kMaxFilterLength) {
        v.edit_buffer.push_back(static_cast<char>(key));
        return KeyAction::kRedraw;
      }
      return KeyAction::kNone;
  }
}
}  // namespace

void clamp_selection(ViewState& v, std::size_t visible_rows, std::size_t page) {
  if (visible_rows == 0) {
    v.selected = 0;
    v.top = 0;
    return;
  }
  v.selected = std::min(v.selected, visible_rows - 1);
  if (page == 0) page = 1;
  if (v.selected < v.top) v.top = v.selected;
  if (v.selected >= v.top + page) v.top = v.selected + 1 - page;
  // Don't leave empty rows at the bottom when the table could show more.
  if (visible_rows >= page)
    v.top = std::min(v.top, visible_rows - page);
  else
    v.top = 0;
}

KeyAction handle_key(ViewState& v, int key, std::size_t visible_rows, std::size_t page) {
  if (v.editing) return handle_prompt_key(v, key);
  if (v.help && key != '?' && key != 'q' && key != kKeyResize) {
    v.help = false;  // any key closes the help
    return KeyAction::kRedraw;
  }
  const std::size_t step = std::max<std::size_t>(page, 1);
  switch (key) {
    case 'q':
    case 'Q':
      return KeyAction::kQuit;
    case kKeyUp:
    case 'k':
      if (v.selected > 0) --v.selected;
      break;
    case kKeyDown:
    case 'j':
      if (visible_rows > 0 && v.selected + 1 < visible_rows) ++v.selected;
      break;
    case kKeyPageUp:
      v.selected = v.selected > step ? v.selected - step : 0;
      break;
    case kKeyPageDown:
      v.selected += step;
      break;
    case kKeyHome:
    case 'g':
      v.selected = 0;
      break;
    case kKeyEnd:
    case 'G':
      v.selected = visible_rows > 0 ? visible_rows - 1 : 0;
      break;
    case 's':
      v.sort = next_sort_column(v.sort);
      break;
    case 'S':
      v.reverse = !v.reverse;
      break;
    case '/':
      v.editing = true;
      v.edit_buffer.clear();
      break;
    case kKeyEscape:
      v.filter.clear();  // Esc outside the prompt clears the filter
      break;
    case 'p':
    case 'P':
    case ' ':
      v.paused = !v.paused;
      break;
    case '?':
    case 'h':
      v.help = !v.help;
      break;
    case kKeyResize:
      break;
    default:
      return KeyAction::kNone;
  }
  clamp_selection(v, visible_rows, page);
  return KeyAction::kRedraw;
}

}  // namespace tickshm::dash
