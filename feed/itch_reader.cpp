// ITCH 5.0 framing: zlib streaming (gzread reads plain files unchanged), refills, error messages.
#include "itch_reader.hpp"

#include <fmt/format.h>

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace tickshm::feed {

namespace {

std::string type_name(std::uint8_t type) {
  if (type >= 0x21 && type < 0x7f) return fmt::format("'{}'", static_cast<char>(type));
  return fmt::format("0x{:02X}", type);
}

}  // namespace

Result<ItchReader> ItchReader::open(const std::string& path) {
  errno = 0;
  gzFile gz = ::gzopen(path.c_str(), "rb");
  if (gz == nullptr) {
    return make_error(Errc::kInvalidArgument,
                      "cannot open " + path + ": " + (errno != 0 ? std::strerror(errno) : "out of memory"));
  }
  ::gzbuffer(gz, 1U << 18);  // larger than zlib's 8 KiB default: fewer read calls on big files
  ItchReader r;
  r.path_ = path;
  r.gz_ = gz;
  r.storage_.resize(kBufferSize);
  r.data_ = r.storage_.data();
  r.eof_ = false;
  return r;
}

ItchReader ItchReader::from_memory(const std::uint8_t* data, std::size_t size) {
  ItchReader r;
  r.path_ = "(memory)";
  r.data_ = data;
  r.end_ = size;
  return r;
}

ItchReader::ItchReader(ItchReader&& o) noexcept {
  *this = std::move(o);
}

ItchReader& ItchReader::operator=(ItchReader&& o) noexcept {
  if (this == &o) return *this;
  if (gz_ != nullptr) ::gzclose(static_cast<gzFile>(gz_));
  const bool own = o.data_ == o.storage_.data();
  path_ = std::move(o.path_);
  gz_ = std::exchange(o.gz_, nullptr);
  storage_ = std::move(o.storage_);
  data_ = own ? storage_.data() : o.data_;
  pos_ = o.pos_;
  end_ = o.end_;
  base_ = o.base_;
  eof_ = o.eof_;
  zero_prefix_ = o.zero_prefix_;
  messages_ = o.messages_;
  unknown_ = o.unknown_;
  error_ = std::move(o.error_);
  o.data_ = nullptr;
  o.pos_ = o.end_ = 0;
  o.eof_ = true;
  return *this;
}

ItchReader::~ItchReader() {
  if (gz_ != nullptr) ::gzclose(static_cast<gzFile>(gz_));
}

void ItchReader::refill() {
  // Keep the unread tail, then fill the rest of the buffer: a frame never straddles two reads.
  const std::size_t tail = end_ - pos_;
  std::memmove(storage_.data(), storage_.data() + pos_, tail);
  base_ += pos_;
  pos_ = 0;
  end_ = tail;
  auto* gz = static_cast<gzFile>(gz_);
  while (!eof_ && end_ < storage_.size()) {
    const int n = ::gzread(gz, storage_.data() + end_, static_cast<unsigned>(storage_.size() - end_));
    if (n > 0) {
      end_ += static_cast<std::size_t>(n);
      continue;
    }
    eof_ = true;
    int zerr = Z_OK;
    const char* msg = ::gzerror(gz, &zerr);
    if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
      error_ = fmt::format("{}: read error after byte {}: {}", path_, base_ + end_,
                           (zerr == Z_ERRNO ? std::strerror(errno) : msg));
    }
  }
}

ItchReader::Next ItchReader::fail(std::string why) {
  if (error_.empty()) error_ = path_ + ": " + why;
  pos_ = end_;
  eof_ = true;
  return Next::kError;
}

ItchReader::Next ItchReader::fail_truncated(std::size_t left) {
  if (!error_.empty()) return fail({});  // the read error explains the short tail
  const std::uint64_t at = base_ + pos_;
  if (left < 3) {
    return fail(fmt::format(
        "truncated message at byte offset {}: {} byte(s) left, a length prefix and a type need 3", at, left));
  }
  const std::uint8_t* p = data_ + pos_;
  std::size_t len = itch::be16(p);
  if (len == 0) len = itch::spec_length(p[2]);
  return fail(fmt::format("truncated message {} at byte offset {}: {} bytes announced, {} left",
                          type_name(p[2]), at, len, left - 2));
}

ItchReader::Next ItchReader::fail_type(std::uint8_t type, bool zero_prefix) {
  const std::uint64_t at = base_ + pos_;
  if (messages_ == 0) {
    return fail(
        fmt::format("not an ITCH 5.0 file: the first message (byte offset {}) has type {}{}, which is no "
                    "ITCH 5.0 message",
                    at, type_name(type),
                    zero_prefix ? std::string() : fmt::format(" and length {}", itch::be16(data_ + pos_))));
  }
  return fail(
      fmt::format("unknown message type {} with a zero length prefix at byte offset {}: its length is "
                  "unknown, so the stream cannot be followed",
                  type_name(type), at));
}

ItchReader::Next ItchReader::fail_length(std::uint8_t type, std::size_t len) {
  return fail(fmt::format("message {} at byte offset {} has length {}, the ITCH 5.0 specification says {}{}",
                          type_name(type), base_ + pos_, len, itch::spec_length(type),
                          (messages_ == 0 ? " (not an ITCH 5.0 file?)" : "")));
}

}  // namespace tickshm::feed
