// The --trust-owner option every reading program shares (tickshm-algo, -dash, -stat, -bench).
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace tickshm {

// Adds --trust-owner USER|UID|group:NAME|gid:N (repeatable, also a config key): each value, validated
// as it is parsed (a bad one is a usage error), widens the process's trust policy (trust.hpp).
void add_trust_option(CLI::App& app);

}  // namespace tickshm
