// Runs conversation test files (tests/conversations/*.yaml), the way staff write them:
//
//   platform: whatsapp
//   account: nrw-demo
//   tests:
//     - name: emergency words interrupt the applicant menu
//       steps:
//         - user: ich will mich bewerben
//         - bot: applicant.menu
//         - tap: applicant.btn_requirements     # a button of the last question, by label
//         - wait: 31m                           # the fake clock moves on
//         - user: hilfe da ist jemand mit einem messer
//         - bot: emergency.call_now
//           says: "110"
//
// Each test starts with an empty conversation and its own fake clock. Failures are
// reported as file:line with what was expected and what came instead.
#pragma once

#include <ostream>
#include <string>

#include "bot/accounts.h"
#include "bot/playbook.h"

namespace wache::bot {

struct TestRunSummary {
  int passed = 0;
  int failed = 0;
  int file_errors = 0;  // files that could not be read as tests
};

// Runs every test in `path` (a file or a folder of *.yaml). Writes one line per failure
// plus details to `out`; the caller prints the closing "N passed, M failed" line.
TestRunSummary RunConversationTests(const std::string& path,
                                    std::shared_ptr<const Playbook> playbook,
                                    const GatewayConfig& config, std::ostream& out, bool verbose);

}  // namespace wache::bot
