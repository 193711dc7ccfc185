// tickshm-bridge in's state: the remote feed's batches, sequenced, into a local segment. One class, its
// parts in files by concept: bridge_in.cpp (subscribing and the loop), in_batches.cpp (sequencing, gaps,
// held batches), in_snapshot.cpp (snapshots and the local board), in_status.cpp (counts and status).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inbox.hpp"
#include "nats_link.hpp"
#include "options.hpp"
#include "reorder.hpp"
#include "sequencer.hpp"
#include "tickshm/bridge_status.hpp"
#include "tickshm/clock.hpp"
#include "tickshm/publisher.hpp"
#include "wire.hpp"

namespace tickshm::bridge {

class InBridge {
 public:
  InBridge(const Options& o, NatsLink link, BridgeStatusWriter status);

  std::string closed_reason() const { return link_.closed_reason(); }

  Status subscribe();

  int run(const std::atomic<bool>& stop);

 private:
  static constexpr std::uint64_t kTickNs = 50 * kNsPerMs;            // heartbeat and status period
  static constexpr std::uint64_t kSnapshotRetryNs = 200 * kNsPerMs;  // at most this often per unknown epoch
  static constexpr std::int64_t kSnapshotTimeoutMs = 500;
  static constexpr std::uint32_t kNoSymbol = 0xFFFF'FFFFu;
  static constexpr std::size_t kRetiredEpochs = 8;
  // JetStream: how long batches after a gap wait for it. Well above out's ack wait (after which it sends
  // an unacknowledged batch again) plus a reconnect; a gap still open then is counted lost.
  static constexpr std::uint64_t kHoldNs = 5 * kNsPerSec;

  struct Totals {
    std::uint64_t written = 0, gaps = 0, lost = 0, duplicates = 0;
  };

  // in_status.cpp. Written, gaps, lost, duplicates over all epochs.
  Totals totals() const;
  std::uint64_t rejected_total() const;

  // Counted and dropped, with one warning per kind per second at most.
  void reject(WireError e, const char* subject);

  void update_status(std::uint64_t now);

  // in_batches.cpp. A batch from NATS: checked, then written, held for a gap, or dropped.
  void on_batch(NatsMsg& m);

  // A checked batch (or heartbeat) of the current epoch into the local segment, in stream order.
  void write(const BatchView& b, std::uint32_t stream);

  // Held batches whose gap filled (or was waited for long enough), in order.
  void drain_held();
  void give_up_held();

  // in_snapshot.cpp. An epoch seen before and left: its late messages are ignored.
  bool retired(std::uint64_t epoch) const;

  // A snapshot pushed on the epoch subject: applied when of a new epoch.
  void on_snapshot_message(const NatsMsg& m);

  // The local board from the snapshot, once the stream reaches the snapshot's point: a symbol that
  // ticked only before this bridge joined shows its last quote at once. Not when the bridge wrote the
  // epoch from its first tick: its board is then whole already.
  void seed(std::uint32_t stream);

  // Asks the out side for its snapshot; true when it is of `epoch` (0: any) and now applied.
  bool request_snapshot(std::uint64_t epoch);

  // A new upstream epoch becomes a new local epoch: the local segment is closed and created again.
  void apply(const Snapshot& s);

  const Options& o_;
  NatsLink link_;
  BridgeStatusWriter status_;
  Inbox inbox_;
  std::vector<NatsSubscription> subs_;  // after inbox_: destroyed first
  std::string remote_;
  std::vector<std::string> wanted_;
  std::optional<Publisher> pub_;
  std::vector<std::uint32_t> local_index_;      // upstream symbol index -> local index
  std::vector<StreamSequencer> streams_;        // one (ticks) or one per upstream symbol
  std::optional<ReorderBuffer<NatsMsg>> held_;  // JetStream only: batches waiting for a gap to fill
  std::vector<WireSymbol> seed_board_;          // the epoch's snapshot board, applied at its point
  std::vector<std::uint64_t> seed_at_;          // per stream: the snapshot's point
  std::vector<bool> seed_pending_;
  std::vector<std::uint64_t> retired_;
  Totals closed_;
  std::array<std::uint64_t, kWireErrorKinds> rejected_{};
  std::array<std::uint64_t, kWireErrorKinds> last_warn_ns_{};
  std::uint64_t epoch_ = 0, epochs_ = 0, snapshots_ = 0, batches_ = 0, lag_ns_ = 0, upstream_cursor_ = 0;
  std::uint64_t last_request_ns_ = 0;
  int exit_code_ = -1;
};

}  // namespace tickshm::bridge
