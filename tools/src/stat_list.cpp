// The segment list (--list): every /dev/shm/tickshm.* file classified and judged, as text or JSON.
#include <pwd.h>

#include <fmt/format.h>

#include "stat_format.hpp"
#include "stat_report.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/format.hpp"
#include "tickshm/names.hpp"
#include "tickshm/process.hpp"
#include "tickshm/text.hpp"

namespace tickshm::stat {

namespace {

std::string user_name(uid_t uid) {
  passwd pw{};
  passwd* res = nullptr;
  char buf[1024];  // getpwuid_r's scratch space: the reentrant lookup needs a caller-owned buffer
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != nullptr) return printable(res->pw_name);
  return fmt::format("{}", uid);
}

// A segment we could not use: being created, refused (permission, or an owner we do not trust), or invalid.
const char* list_status(Errc code) {
  return code == Errc::kNotReady ? "creating" : code == Errc::kPermission ? "refused" : "invalid";
}

// An algo's or a bridge's status segment: its writer and whether it runs, or why it could not be read.
template <class Snapshot, class Detail>
void judge_status(ListEntry& e, const Result<Snapshot>& st, Detail detail) {
  if (!st) {
    e.status = list_status(st.error().code);
    e.detail = st.error().message;
    return;
  }
  e.writer_pid = st->pid;
  e.status = st->alive ? "live" : "dead";
  e.detail = detail(st.value());
}

}  // namespace

std::vector<ListEntry> gather_list() {
  std::vector<ListEntry> out;
  const std::uint64_t now = now_ns();
  for (const SegmentFile& f : list_segment_files()) {
    ListEntry e;
    e.name = f.name;
    e.size = f.size;
    e.owner_uid = f.owner;
    e.owner = user_name(f.owner);
    e.mode = f.mode;
    const ObjectName on = parse_object_name(f.name);
    const bool is_ctl = on.kind == ObjectKind::kControl;
    if (on.kind == ObjectKind::kUnknown) {
      e.kind = "unknown";
      e.status = "invalid";
      e.detail = "not a name tickshm gives its objects (feed and algo names have no '.')";
    } else if (on.kind == ObjectKind::kBridge) {
      e.kind = "bridge";
      e.feed = on.feed;
      judge_status(e, read_bridge_status("/" + f.name), [](const BridgeStatusSnapshot& b) {
        return fmt::format("bridge {} ({})", bridge_direction_name(b.direction), b.remote_feed);
      });
    } else if (on.kind == ObjectKind::kAlgo) {
      e.kind = "algo";
      e.feed = on.feed;
      judge_status(e, read_algo_status("/" + f.name), [](const AlgoStatusSnapshot& a) {
        return fmt::format("algo {} ({})", a.name, a.strategy);
      });
    } else {
      e.kind = is_ctl ? "control" : "data";
      e.feed = on.feed;
      // A registry lives as long as its feed's writer: both are judged by the data segment.
      auto dv = DataView::open_path(data_segment_path(e.feed));
      if (!dv) {
        // A writer between O_CREAT and "live" is not a broken segment: say so, or --clean's list lies.
        e.status = list_status(dv.error().code);
        e.detail = dv.error().message;
        if (is_ctl && dv.error().code == Errc::kNotFound) e.status = "dead";
      } else {
        e.writer_pid = dv->header().writer_pid;
        const WriterHealth h = dv->health(now);
        const bool alive = process_alive(dv->header().writer_pid, dv->header().writer_start_time);
        e.status = h == WriterHealth::kClosed ? "closed" : (alive ? "live" : "dead");
        if (!is_ctl)
          e.detail = fmt::format("epoch {}, {} published", format_hex64(dv->epoch()), dv->write_cursor());
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string format_list_text(const std::vector<ListEntry>& entries) {
  std::string o;
  if (entries.empty()) return "no tickshm segments in /dev/shm\n";
  appendf(o, "{:<40} {:<7} {:>12} {:<10} {:<5} {:>8} {:<7} {}\n", "NAME", "KIND", "SIZE", "OWNER", "MODE",
          "WRITER", "STATUS", "DETAIL");
  for (const ListEntry& e : entries) {
    // File names in /dev/shm and details from algo segments are anyone's text: printable() only.
    appendf(o, "{:<40} {:<7} {:>12} {:<10} {:<5} {:>8} {:<7} {}\n", printable(e.name), e.kind, e.size,
            printable(e.owner), format_mode(static_cast<unsigned>(e.mode)), e.writer_pid, e.status,
            printable(e.detail));
  }
  return trim_lines(o);
}

std::string format_list_json(const std::vector<ListEntry>& entries, bool pretty) {
  Json segments = json_array(entries, [](const ListEntry& e) -> Json {
    return {{"name", e.name},
            {"kind", e.kind},
            {"feed", e.feed},
            {"size_bytes", e.size},
            {"owner", e.owner},
            {"owner_uid", static_cast<std::uint64_t>(e.owner_uid)},
            {"mode", format_mode(static_cast<unsigned>(e.mode))},
            {"writer_pid", e.writer_pid},
            {"writer_alive", e.writer_alive()},
            {"status", e.status},
            {"detail", e.detail}};
  });
  const Json j = {{"schema_version", kStatSchemaVersion}, {"segments", std::move(segments)}};
  return dump_json(j, pretty) + "\n";
}

}  // namespace tickshm::stat
