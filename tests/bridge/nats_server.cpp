// A private nats-server per test on a free loopback port.
#include "nats_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

namespace tickshm::test {
namespace {

std::string server_binary() {
  for (const char* p : {"/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"})
    if (std::filesystem::exists(p)) return p;
  return {};
}

int pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  int port = 0;
  socklen_t len = sizeof a;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string NatsServer::unavailable_reason() {
  return server_binary().empty() ? "nats-server is not installed (apt install nats-server)" : "";
}

int NatsServer::free_port() {
  return pick_free_port();
}

NatsServer::NatsServer() : port_(pick_free_port()) {}

bool NatsServer::start() {
  child_.reset();
  std::vector<std::string> args = {"-a", "127.0.0.1", "-p", std::to_string(port_)};
  args.insert(args.end(), extra_.begin(), extra_.end());
  child_.emplace(Child::spawn(server_binary(), args));
  return eventually([&] { return accepts(port_); }, std::chrono::seconds(10));
}

void NatsServer::kill() {
  if (!child_) return;
  child_->signal(SIGKILL);
  (void)child_->wait_for(std::chrono::seconds(5));
  child_.reset();
}

}  // namespace tickshm::test
