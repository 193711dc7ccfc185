// ITCH 5.0 framing: splits a byte stream (a file, gzip or plain, read through zlib; or memory) into
// messages, checks each length against its type and names the byte offset of whatever is wrong.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "itch_format.hpp"
#include "tickshm/result.hpp"

namespace tickshm::feed {

struct ItchFrame {
  const std::uint8_t* msg = nullptr;  // type byte first; valid until the next call
  std::uint16_t length = 0;           // payload length (the spec's when the prefix was zero)
  std::uint64_t offset = 0;           // byte offset of the message's length prefix in the stream
};

// Framing rules (docs/FEED.md, "ITCH"): a 2-byte big-endian length, then the message. A zero length
// means "the type's length from the spec" (some tools write it so). A known type whose length differs
// from the spec, a zero length with an unknown type, or a message cut short: an error naming the
// offset. An unknown type with a non-zero length is skipped and counted (the framing still holds),
// except as the first message, where it means the file is not ITCH at all.
class ItchReader {
 public:
  [[nodiscard]] static Result<ItchReader> open(const std::string& path);  // FILE or FILE.gz
  static ItchReader from_memory(const std::uint8_t* data, std::size_t size);

  ItchReader(ItchReader&&) noexcept;
  ItchReader& operator=(ItchReader&&) noexcept;
  ItchReader(const ItchReader&) = delete;
  ItchReader& operator=(const ItchReader&) = delete;
  ~ItchReader();

  enum class Next { kMessage, kEnd, kError };
  Next next(ItchFrame& frame) {
    for (;;) {
      if (end_ - pos_ < kRefillBelow && !eof_) refill();
      const std::size_t left = end_ - pos_;
      if (left == 0) return error_.empty() ? Next::kEnd : Next::kError;
      if (left < 3) return fail_truncated(left);
      const std::uint8_t* p = data_ + pos_;
      std::size_t len = itch::be16(p);
      const std::size_t spec = itch::spec_length(p[2]);
      if (len == 0) {
        if (spec == 0) return fail_type(p[2], true);
        len = spec;
        zero_prefix_ = true;
      } else if (len != spec) {
        if (spec != 0 || messages_ == 0) return spec == 0 ? fail_type(p[2], false) : fail_length(p[2], len);
        if (left < 2 + len) return fail_truncated(left);
        pos_ += 2 + len;  // an unknown type: the framing tells where the next message starts
        ++unknown_;
        continue;
      }
      if (left < 2 + len) return fail_truncated(left);
      frame.msg = p + 2;
      frame.length = static_cast<std::uint16_t>(len);
      frame.offset = base_ + pos_;
      pos_ += 2 + len;
      ++messages_;
      return Next::kMessage;
    }
  }

  const std::string& error() const noexcept { return error_; }
  std::uint64_t messages() const noexcept { return messages_; }
  std::uint64_t unknown_skipped() const noexcept { return unknown_; }  // unknown types, by their length
  bool zero_prefix_seen() const noexcept { return zero_prefix_; }
  std::uint64_t bytes_read() const noexcept { return base_ + pos_; }

 private:
  static constexpr std::size_t kBufferSize = std::size_t{1} << 20;
  static constexpr std::size_t kRefillBelow = 2 + 0xFFFF;  // room for the largest possible frame

  ItchReader() = default;
  void refill();
  Next fail_truncated(std::size_t left);
  Next fail_type(std::uint8_t type, bool zero_prefix);
  Next fail_length(std::uint8_t type, std::size_t len);
  Next fail(std::string why);

  std::string path_;
  void* gz_ = nullptr;  // gzFile (zlib), kept opaque so users need not include zlib.h
  std::vector<std::uint8_t> storage_;
  const std::uint8_t* data_ = nullptr;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t base_ = 0;  // stream offset of data_[0]
  bool eof_ = true;
  bool zero_prefix_ = false;
  std::uint64_t messages_ = 0;
  std::uint64_t unknown_ = 0;
  std::string error_;
};

}  // namespace tickshm::feed
