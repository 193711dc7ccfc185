// Listing /dev/shm's tickshm objects, telling their kinds apart, and removing those proven dead.
#include "tickshm/shm_files.hpp"

#include <sys/mman.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "tickshm/data_view.hpp"
#include "tickshm/process.hpp"

namespace tickshm {

std::vector<SegmentFile> list_segment_files() {
  namespace fs = std::filesystem;
  std::vector<SegmentFile> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/dev/shm", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("tickshm.", 0) != 0) continue;
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    out.push_back({name, static_cast<std::uint64_t>(st.st_size), st.st_uid, st.st_mode});
  }
  std::sort(out.begin(), out.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.name < b.name; });
  return out;
}

SegmentKind classify_segment(std::string_view file, std::string& feed) {
  std::string_view rest = file.substr(std::min(file.size(), std::strlen(kSegmentPrefix)));
  if (auto p = rest.find(".algo."); p != std::string_view::npos) {
    feed = rest.substr(0, p);
    return SegmentKind::kAlgoStatus;
  }
  if (auto p = rest.find(".bridge."); p != std::string_view::npos) {
    feed = rest.substr(0, p);
    return SegmentKind::kBridgeStatus;
  }
  if (rest.size() > 4 && rest.compare(rest.size() - 4, 4, ".ctl") == 0) {
    feed = rest.substr(0, rest.size() - 4);
    return SegmentKind::kControl;
  }
  feed = rest;
  return SegmentKind::kData;
}

SegmentVerdict judge_feed_segments(std::string_view feed) {
  auto dv = DataView::open_path("/tickshm." + std::string(feed));
  if (!dv) return dv.error().code == Errc::kNotReady ? SegmentVerdict::kNotReady : SegmentVerdict::kDead;
  const bool dead = dv->state() == SegmentState::kClosed ||
                    !process_alive(dv->header().writer_pid, dv->header().writer_start_time);
  return dead ? SegmentVerdict::kDead : SegmentVerdict::kAlive;
}

std::vector<std::string> clean_dead_segments(std::string_view only_feed, const StatusJudge& judge_status) {
  std::vector<std::string> removed;
  const auto now = std::filesystem::file_time_type::clock::now();
  for (const SegmentFile& f : list_segment_files()) {
    std::string feed;
    const SegmentKind kind = classify_segment(f.name, feed);
    if (!only_feed.empty() && feed != only_feed) continue;
    SegmentVerdict v = SegmentVerdict::kAlive;
    if (kind == SegmentKind::kAlgoStatus || kind == SegmentKind::kBridgeStatus) {
      if (!judge_status) continue;  // nobody here knows that format: leave it
      v = judge_status("/" + f.name);
    } else {
      v = judge_feed_segments(feed);
    }
    if (v == SegmentVerdict::kAlive) continue;
    if (v == SegmentVerdict::kNotReady) {
      // Empty or still "creating": its creator may be at work right now. Only a file left in that
      // state for a while is debris of a creator that died.
      std::error_code ec;
      const auto mtime = std::filesystem::last_write_time("/dev/shm/" + f.name, ec);
      if (ec || now - mtime < std::chrono::seconds(10)) continue;
    }
    if (::shm_unlink(("/" + f.name).c_str()) == 0) removed.push_back(f.name);
  }
  return removed;
}

}  // namespace tickshm
