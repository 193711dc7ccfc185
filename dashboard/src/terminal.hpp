// The one owner of the terminal: ncurses set-up and tear-down, restoring it on exit, on SIGINT/SIGTERM
// and on crash signals; draws Frames with colours chosen per semantic Role.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "frame.hpp"

struct screen;  // ncurses' SCREEN, kept out of this header

namespace tickshm::dash {

// SIGINT/SIGTERM ask the loop to stop (the Terminal destructor restores the screen); a second one
// restores the terminal from the handler and exits at once. Crash signals (SEGV, BUS, FPE, ILL, ABRT)
// restore the terminal, then die with the default action so a core dump still happens.
void install_terminal_signals();
bool stop_requested_by_signal() noexcept;

class Terminal {
 public:
  // Fails (empty pointer, reason in *error) when stdin/stdout is not a terminal or TERM is unusable.
  static std::unique_ptr<Terminal> open(bool force_ascii, std::string* error);
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  std::size_t width() const;
  std::size_t height() const;
  bool unicode() const noexcept { return unicode_; }

  // Waits up to timeout_ms for a key; returns it mapped onto view.hpp's Key codes, or -1.
  int read_key(int timeout_ms);
  void draw(const Frame& frame);

 private:
  Terminal() = default;
  bool unicode_ = true;
  screen* screen_ = nullptr;
};

}  // namespace tickshm::dash
