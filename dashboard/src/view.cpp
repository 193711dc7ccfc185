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

// The filter applies as it is typed; Enter keeps it, Esc puts back the one from before the prompt.
KeyAction handle_prompt_key(ViewState& v, int key) {
  switch (key) {
    case kKeyEnter:
    case '\n':
    case '\r':
      v.filter = v.edit_buffer;
      v.editing = false;
      return KeyAction::kRedraw;
    case kKeyEscape:
      v.editing = false;
      v.filter = v.filter_before;
      v.edit_buffer = v.filter;
      return KeyAction::kRedraw;
    case kKeyBackspace:
    case 127:
    case 8:
      if (!v.edit_buffer.empty()) v.edit_buffer.pop_back();
      v.filter = v.edit_buffer;
      v.selected = 0;
      v.top = 0;
      return KeyAction::kRedraw;
    default:
      // Anything that cannot be in a symbol name is ignored rather than filtering everything away.
      if (is_symbol_char(key) && v.edit_buffer.size() < kMaxFilterLength) {
        v.edit_buffer.push_back(static_cast<char>(key));
        v.filter = v.edit_buffer;
        v.selected = 0;
        v.top = 0;
        return KeyAction::kRedraw;
      }
      return KeyAction::kNone;
  }
}

void sort_by(ViewState& v, SortColumn c) {
  // The column already sorted on: a second press reverses it.
  if (v.sort == c) {
    v.reverse = !v.reverse;
  } else {
    v.sort = c;
    v.reverse = false;
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

char sort_key(SortColumn c) noexcept {
  return static_cast<char>('1' + static_cast<int>(c));
}

KeyAction handle_key(ViewState& v, int key, std::size_t visible_rows, std::size_t page) {
  KeyContext ctx;
  ctx.visible_rows = visible_rows;
  ctx.page = page;
  return handle_key(v, key, ctx);
}

KeyAction handle_key(ViewState& v, int key, const KeyContext& ctx) {
  const std::size_t visible_rows = ctx.visible_rows, page = ctx.page;
  if (v.editing) return handle_prompt_key(v, key);
  if (v.help && key != '?' && key != 'q' && key != kKeyResize) {
    v.help = false;  // any key closes the help
    return KeyAction::kRedraw;
  }
  // A drill-down view: q quits, Esc/Backspace/Left go back, p and ? work; the rest is ignored.
  if (v.screen != Screen::kMain) {
    switch (key) {
      case 'q':
      case 'Q':
        return KeyAction::kQuit;
      case kKeyEscape:
      case kKeyBackspace:
      case kKeyLeft:
      case 127:
      case 8:
        v.screen = Screen::kMain;
        return KeyAction::kRedraw;
      case 'r':
        v.screen = v.screen == Screen::kReaders ? Screen::kMain : Screen::kReaders;
        return KeyAction::kRedraw;
      case 'p':
      case 'P':
      case ' ':
        v.paused = !v.paused;
        return KeyAction::kRedraw;
      case '?':
      case 'h':
        v.help = true;
        return KeyAction::kRedraw;
      case kKeyResize:
        return KeyAction::kRedraw;
      default:
        return KeyAction::kNone;
    }
  }
  if (key >= '1' && key < '1' + static_cast<int>(kSortColumnCount)) {
    sort_by(v, static_cast<SortColumn>(key - '1'));
    clamp_selection(v, visible_rows, page);
    return KeyAction::kRedraw;
  }
  if (key >= kKeyMouseBase) {
    const auto y = static_cast<std::size_t>((key - kKeyMouseBase) / kMouseRowStride);
    const auto x = static_cast<std::size_t>((key - kKeyMouseBase) % kMouseRowStride);
    if (y != ctx.sort_row) return KeyAction::kNone;
    for (std::size_t c = 0; c < ctx.sort_cells.size(); ++c) {
      const auto [x0, x1] = ctx.sort_cells[c];
      if (x >= x0 && x < x1) {
        sort_by(v, static_cast<SortColumn>(c));
        return KeyAction::kRedraw;
      }
    }
    return KeyAction::kNone;
  }
  if (v.focus == Focus::kAlgos) {
    switch (key) {
      case kKeyUp:
      case 'k':
        if (v.algo_selected > 0) --v.algo_selected;
        return KeyAction::kRedraw;
      case kKeyDown:
      case 'j':
        if (v.algo_selected + 1 < ctx.algo_count) ++v.algo_selected;
        return KeyAction::kRedraw;
      default:
        break;
    }
  }
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
      v.filter_before = v.filter;
      v.edit_buffer = v.filter;
      break;
    case kKeyTab:
      v.focus = v.focus == Focus::kMarket && ctx.algo_count > 0 ? Focus::kAlgos : Focus::kMarket;
      break;
    case kKeyEnter:
    case '\n':
    case '\r':
      if (v.focus == Focus::kAlgos && !ctx.selected_algo.empty()) {
        v.screen = Screen::kAlgo;
        v.detail = ctx.selected_algo;
      } else if (v.focus == Focus::kMarket && !ctx.selected_symbol.empty()) {
        v.screen = Screen::kSymbol;
        v.detail = ctx.selected_symbol;
      }
      break;
    case 'r':
      v.screen = Screen::kReaders;
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
