// ncurses behind the Terminal RAII owner, plus the signal handlers that restore the terminal.
#include "terminal.hpp"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <clocale>
#include <cstring>

namespace tickshm::dash {

namespace {

// State the signal handlers use: only plain memory, filled before the handlers can run.
termios g_saved_termios{};
bool g_have_termios = false;
std::array<char, 256> g_restore_seq{};  // rmcup + cnorm + sgr0 + rmkx, from terminfo
std::size_t g_restore_len = 0;
std::atomic<bool> g_screen_active{false};
std::atomic<int> g_stop_signals{0};

// Async-signal-safe: tcsetattr and write only (endwin is not safe in a handler).
void emergency_restore() noexcept {
  if (!g_screen_active.exchange(false)) return;
  if (g_have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_termios);
  if (g_restore_len > 0) {
    [[maybe_unused]] const auto n = write(STDOUT_FILENO, g_restore_seq.data(), g_restore_len);
  }
}

void on_stop(int sig) {
  if (g_stop_signals.fetch_add(1) >= 1) {
    emergency_restore();
    _exit(128 + sig);
  }
}

void on_crash(int sig) {
  emergency_restore();
  // SA_RESETHAND put the default action back: re-raise to die (and dump core) as the signal meant.
  raise(sig);
}

void append_cap(const char* cap) {
  char* s = tigetstr(cap);
  // tigetstr returns (char*)-1 for a non-string capability and nullptr for an absent one.
  if (s == nullptr || s == reinterpret_cast<char*>(-1)) return;
  const std::size_t n = std::strlen(s);
  if (g_restore_len + n > g_restore_seq.size()) return;
  std::memcpy(g_restore_seq.data() + g_restore_len, s, n);
  g_restore_len += n;
}

// Colour pair per role; 0 = the terminal's default colours.
short pair_of(Role r) {
  switch (r) {
    case Role::kUp:
    case Role::kGood:
      return 1;
    case Role::kDown:
    case Role::kBad:
      return 2;
    case Role::kWarn:
    case Role::kKey:
      return 3;
    case Role::kTitle:
    case Role::kSpark:
      return 4;
    default:
      return 0;
  }
}

attr_t attr_of(Role r, bool bold) {
  attr_t a = A_NORMAL;
  if (has_colors()) {
    const short p = pair_of(r);
    if (p != 0) a |= static_cast<attr_t>(static_cast<unsigned>(COLOR_PAIR(p)));
  } else if (r == Role::kUp || r == Role::kBad || r == Role::kWarn) {
    a |= A_UNDERLINE;  // monochrome terminals still tell up and trouble apart
  }
  if (r == Role::kDim) a |= A_DIM;
  if (bold || r == Role::kHeading || r == Role::kTitle) a |= A_BOLD;
  return a;
}

}  // namespace

void install_terminal_signals() {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, nullptr);
  struct sigaction crash {};
  sigemptyset(&crash.sa_mask);
  crash.sa_handler = on_crash;
  crash.sa_flags = static_cast<int>(SA_RESETHAND);  // glibc defines it as an unsigned constant
  for (const int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(s, &crash, nullptr);
}

bool stop_requested_by_signal() noexcept {
  return g_stop_signals.load() > 0;
}

std::unique_ptr<Terminal> Terminal::open(bool force_ascii, std::string* error) {
  if (isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0) {
    if (error) *error = "stdin and stdout must be a terminal (use --snapshot for plain text)";
    return nullptr;
  }
  std::setlocale(LC_ALL, "");
  std::unique_ptr<Terminal> t(new Terminal());
  t->unicode_ = !force_ascii && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
  g_have_termios = tcgetattr(STDIN_FILENO, &g_saved_termios) == 0;
  // newterm, unlike initscr, returns an error instead of exiting when TERM is unknown.
  t->screen_ = newterm(nullptr, stdout, stdin);
  if (t->screen_ == nullptr) {
    if (error) *error = "cannot initialise the terminal (is TERM set to a known terminal type?)";
    return nullptr;
  }
  g_restore_len = 0;
  for (const char* cap : {"rmcup", "cnorm", "sgr0", "rmkx"}) append_cap(cap);
  g_screen_active.store(true);
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  curs_set(0);
  set_escdelay(25);  // Esc cancels the filter prompt without a noticeable wait
  // Clicks on a heading sort by it; no drag or motion events, so text selection with Shift still works.
  mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, nullptr);
  mouseinterval(0);
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(1, COLOR_GREEN, -1);
    init_pair(2, COLOR_RED, -1);
    init_pair(3, COLOR_YELLOW, -1);
    init_pair(4, COLOR_CYAN, -1);
  }
  return t;
}

Terminal::~Terminal() {
  if (g_screen_active.exchange(false)) endwin();
  if (screen_ != nullptr) delscreen(screen_);
}

std::size_t Terminal::width() const {
  return static_cast<std::size_t>(std::max(COLS, 0));
}
std::size_t Terminal::height() const {
  return static_cast<std::size_t>(std::max(LINES, 0));
}

int Terminal::read_key(int timeout_ms) {
  timeout(timeout_ms);
  const int ch = getch();
  switch (ch) {
    case ERR:
      return -1;
    case KEY_UP:
      return kKeyUp;
    case KEY_DOWN:
      return kKeyDown;
    case KEY_PPAGE:
      return kKeyPageUp;
    case KEY_NPAGE:
      return kKeyPageDown;
    case KEY_HOME:
      return kKeyHome;
    case KEY_END:
      return kKeyEnd;
    case KEY_BACKSPACE:
    case 127:
    case 8:
      return kKeyBackspace;
    case KEY_ENTER:
    case '\n':
    case '\r':
      return kKeyEnter;
    case 27:
      return kKeyEscape;
    case KEY_RESIZE:
      return kKeyResize;
    case '\t':
      return kKeyTab;
    case KEY_LEFT:
      return kKeyLeft;
    case KEY_RIGHT:
      return kKeyRight;
    case KEY_MOUSE: {
      MEVENT ev{};
      if (getmouse(&ev) != OK || ev.x < 0 || ev.y < 0 || ev.x >= kMouseRowStride) return -1;
      if ((ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) == 0) return -1;
      return kKeyMouseBase + ev.y * kMouseRowStride + ev.x;
    }
    default:
      return ch;
  }
}

void Terminal::draw(const Frame& frame) {
  erase();
  const int rows = LINES, cols = COLS;
  for (std::size_t y = 0; y < frame.lines.size() && static_cast<int>(y) < rows; ++y) {
    const Line& line = frame.lines[y];
    move(static_cast<int>(y), 0);
    std::size_t x = 0;
    for (const Span& sp : line.spans) {
      attr_t a = attr_of(sp.role, sp.bold);
      if (line.selected) a |= A_REVERSE;
      attrset(static_cast<int>(a));
      addstr(sp.text.c_str());
      x += display_width(sp.text);
    }
    if (line.selected && static_cast<int>(x) < cols) {
      attrset(static_cast<int>(A_REVERSE));
      hline(' ', cols - static_cast<int>(x));
    }
    attrset(static_cast<int>(A_NORMAL));
  }
  // erase + refresh sends only the cells that changed since the last frame.
  refresh();
}

}  // namespace tickshm::dash
