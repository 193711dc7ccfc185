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

TEST(ViewTest, shouldApplyFilterWhenPromptConfirmed) {
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
  EXPECT_TRUE(v.filter.empty());
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

}  // namespace
}  // namespace tickshm::dash
