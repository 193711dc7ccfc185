// A private nats-server for one test: a free loopback port, started and killed with the test (even on
// failure), restartable on the same port; or a GTEST_SKIP reason when nats-server is not installed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace tickshm::test {

class NatsServer {
 public:
  // "" when nats-server can be run here, else why not.
  static std::string unavailable_reason();
  static int free_port();  // a loopback TCP port nobody listens on now

  NatsServer();  // picks a free port; call start()
  void set_args(std::vector<std::string> extra) { extra_ = std::move(extra); }  // e.g. --auth TOKEN
  ~NatsServer() = default;
  bool start();  // true once it accepts connections (within 10 s)
  void kill();   // SIGKILL, reaped
  std::string url() const { return "nats://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  std::string log() const { return child_ ? child_->err() + child_->out() : std::string(); }

 private:
  int port_ = 0;
  std::vector<std::string> extra_;
  std::optional<Child> child_;
};

}  // namespace tickshm::test
