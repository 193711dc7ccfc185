// Unit tests of the dashboard's key handling: movement, sort, filter prompt, pause, help, quit.
#include <gtest/gtest.h>

#include "view.hpp"

namespace tickshm::dash {
namespace {

TEST(ViewTest, shouldQuitWhenQ) {
  ViewState v;
  EXPECT_EQ(handle_key(v, 'q', 10, 5), KeyAction::kQuit);
}

TEST(ViewTest, shouldMoveSelectionAndScrollWhenArrowsOrJk) {
  ViewState v;
  for (int i = 0; i < 7; ++i) handle_key(v, 'j', 10, 5);
  EXPECT_EQ(v.selected, 7u);
  EXPECT_EQ(v.top, 3u);  // the selection stays on screen
  handle_key(v, kKeyUp, 10, 5);
  handle_key(v, 'k', 10, 5);
  EXPECT_EQ(v.selected, 5u);
  for (int i = 0; i < 20; ++i) handle_key(v, kKeyDown, 10, 5);
  EXPECT_EQ(v.selected, 9u);  // stops at the last row
  handle_key(v, kKeyHome, 10, 5);
  EXPECT_EQ(v.selected, 0u);
  EXPECT_EQ(v.top, 0u);
  handle_key(v, kKeyPageDown, 10, 5);
  EXPECT_EQ(v.selected, 5u);
  handle_key(v, 'G', 10, 5);
  EXPECT_EQ(v.selected, 9u);
  EXPECT_EQ(v.top, 5u);
}

TEST(ViewTest, shouldCycleSortWhenSAndReverseWhenShiftS) {
  ViewState v;
  EXPECT_EQ(handle_key(v, 's', 3, 5), KeyAction::kRedraw);
  EXPECT_EQ(v.sort, SortColumn::kLast);
  handle_key(v, 's', 3, 5);
  EXPECT_EQ(v.sort, SortColumn::kChange);
  EXPECT_FALSE(v.reverse);
  handle_key(v, 'S', 3, 5);
  EXPECT_TRUE(v.reverse);
}

TEST(ViewTest, shouldApplyFilterAsTypedAndKeepItWhenPromptConfirmed) {
  ViewState v;
  v.selected = 4;
  handle_key(v, '/', 10, 5);
  EXPECT_TRUE(v.editing);
  handle_key(v, 'm', 10, 5);
  handle_key(v, 'x', 10, 5);
  handle_key(v, kKeyBackspace, 10, 5);
  handle_key(v, 's', 10, 5);  // typed into the prompt, not a sort
  handle_key(v, '!', 10, 5);  // not a symbol character: ignored
  EXPECT_EQ(v.edit_buffer, "ms");
  EXPECT_EQ(v.sort, SortColumn::kSymbol);
  EXPECT_EQ(v.filter, "ms");  // applied while typing
  handle_key(v, kKeyEnter, 10, 5);
  EXPECT_FALSE(v.editing);
  EXPECT_EQ(v.filter, "ms");
  EXPECT_EQ(v.selected, 0u);
}

TEST(ViewTest, shouldKeepOldFilterWhenPromptCancelledAndClearOnEscape) {
  ViewState v;
  v.filter = "AA";
  handle_key(v, '/', 10, 5);
  handle_key(v, 'Z', 10, 5);
  EXPECT_EQ(v.filter, "AAZ");  // the prompt starts from the filter in force
  handle_key(v, kKeyEscape, 10, 5);
  EXPECT_FALSE(v.editing);
  EXPECT_EQ(v.filter, "AA");
  handle_key(v, kKeyEscape, 10, 5);
  EXPECT_TRUE(v.filter.empty());
}

TEST(ViewTest, shouldTogglePauseAndHelp) {
  ViewState v;
  handle_key(v, 'p', 1, 1);
  EXPECT_TRUE(v.paused);
  handle_key(v, 'p', 1, 1);
  EXPECT_FALSE(v.paused);
  handle_key(v, '?', 1, 1);
  EXPECT_TRUE(v.help);
  EXPECT_EQ(handle_key(v, 'x', 1, 1), KeyAction::kRedraw);  // any key closes the help
  EXPECT_FALSE(v.help);
}

TEST(ViewTest, shouldClampSelectionWhenRowsShrink) {
  ViewState v;
  v.selected = 50;
  v.top = 45;
  clamp_selection(v, 10, 5);
  EXPECT_EQ(v.selected, 9u);
  EXPECT_EQ(v.top, 5u);
  clamp_selection(v, 0, 5);
  EXPECT_EQ(v.selected, 0u);
  EXPECT_EQ(v.top, 0u);
}

TEST(ViewTest, shouldIgnoreUnknownKeys) {
  ViewState v;
  EXPECT_EQ(handle_key(v, 'z', 1, 1), KeyAction::kNone);
}

TEST(ViewTest, shouldSortByAColumnDirectlyAndReverseWhenItsKeyIsPressedAgain) {
  ViewState v;
  EXPECT_EQ(sort_key(SortColumn::kVolume), '8');
  handle_key(v, '8', 10, 5);
  EXPECT_EQ(v.sort, SortColumn::kVolume);
  EXPECT_FALSE(v.reverse);
  handle_key(v, '8', 10, 5);
  EXPECT_TRUE(v.reverse);
  handle_key(v, '2', 10, 5);
  EXPECT_EQ(v.sort, SortColumn::kLast);
  EXPECT_FALSE(v.reverse);
}

TEST(ViewTest, shouldSortByTheClickedHeadingWhenTheMouseClicksIt) {
  ViewState v;
  KeyContext ctx;
  ctx.visible_rows = 3;
  ctx.page = 5;
  ctx.sort_row = 1;
  ctx.sort_cells.assign(kSortColumnCount, {0, 0});
  ctx.sort_cells[static_cast<std::size_t>(SortColumn::kAsk)] = {40, 50};
  EXPECT_EQ(handle_key(v, kKeyMouseBase + 1 * kMouseRowStride + 45, ctx), KeyAction::kRedraw);
  EXPECT_EQ(v.sort, SortColumn::kAsk);
  EXPECT_EQ(handle_key(v, kKeyMouseBase + 2 * kMouseRowStride + 45, ctx),
            KeyAction::kNone);  // not the heading
}

TEST(ViewTest, shouldOpenTheSelectedSymbolOrAlgoWhenEnterAndGoBackWhenEscape) {
  ViewState v;
  KeyContext ctx;
  ctx.visible_rows = 3;
  ctx.page = 5;
  ctx.selected_symbol = "MSFT";
  ctx.algo_count = 2;
  ctx.selected_algo = "fast";
  handle_key(v, kKeyEnter, ctx);
  EXPECT_EQ(v.screen, Screen::kSymbol);
  EXPECT_EQ(v.detail, "MSFT");
  EXPECT_EQ(handle_key(v, 'j', ctx), KeyAction::kNone);  // ignored in a view
  handle_key(v, kKeyEscape, ctx);
  EXPECT_EQ(v.screen, Screen::kMain);
  handle_key(v, kKeyTab, ctx);
  EXPECT_EQ(v.focus, Focus::kAlgos);
  handle_key(v, 'j', ctx);
  EXPECT_EQ(v.algo_selected, 1u);
  handle_key(v, 'j', ctx);
  EXPECT_EQ(v.algo_selected, 1u);  // stops at the last algo
  handle_key(v, kKeyEnter, ctx);
  EXPECT_EQ(v.screen, Screen::kAlgo);
  EXPECT_EQ(v.detail, "fast");
  handle_key(v, 'r', ctx);
  EXPECT_EQ(v.screen, Screen::kReaders);
  EXPECT_EQ(handle_key(v, 'q', ctx), KeyAction::kQuit);
}

}  // namespace
}  // namespace tickshm::dash
