// Replays a fuzz target's committed corpus (seeds and every crash found, fuzz/corpus/TARGET/) under the
// regular compiler, so each crash the fuzzers found stays a regression test without clang.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// TICKSHM_FUZZ_SUITE (per target, e.g. FuzzCorpus_csv_replay) keeps the ctest names apart.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(TICKSHM_FUZZ_CORPUS)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  return files;
}

TEST(TICKSHM_FUZZ_SUITE, shouldRunEveryCorpusInputWithoutCrashingWhenReplayed) {
  const auto files = corpus_files();
  ASSERT_FALSE(files.empty()) << "no corpus in " << TICKSHM_FUZZ_CORPUS;
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // A crash (trap, sanitizer report) kills this test; a return is a pass.
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
  }
}

TEST(TICKSHM_FUZZ_SUITE, shouldRunEmptyAndOneByteInputsWithoutCrashingWhenGiven) {
  const std::uint8_t one[1] = {0};
  EXPECT_EQ(LLVMFuzzerTestOneInput(one, 0), 0);
  for (unsigned b = 0; b < 256; b += 51) {
    const std::uint8_t in[1] = {static_cast<std::uint8_t>(b)};
    EXPECT_EQ(LLVMFuzzerTestOneInput(in, 1), 0);
  }
}

}  // namespace
