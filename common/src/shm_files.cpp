// Listing /dev/shm's tickshm objects.
#include "tickshm/shm_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

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

}  // namespace tickshm
