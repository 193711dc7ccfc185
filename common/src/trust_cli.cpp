// --trust-owner: the command-line side of the trust policy (see trust_cli.hpp, trust.hpp).
#include "tickshm/trust_cli.hpp"

#include <CLI/CLI.hpp>

#include "tickshm/trust.hpp"

namespace tickshm {

void add_trust_option(CLI::App& app) {
  app.add_option_function<std::vector<std::string>>(
         "--trust-owner",
         [](const std::vector<std::string>& specs) {
           TrustPolicy p = trust_policy();
           for (const std::string& s : specs) (void)parse_trust_owner(s, p);  // checked by the validator
           set_trust_policy(std::move(p));
         },
         "also accept segments owned by this user (name or uid) or group (group:NAME, gid:N); by default "
         "a reader uses only segments owned by its own uid or root. Repeatable")
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            TrustPolicy scratch;
            const Status st = parse_trust_owner(s, scratch);
            return st ? std::string() : st.error().message;
          },
          "OWNER"))
      ->type_name("OWNER");
}

}  // namespace tickshm
