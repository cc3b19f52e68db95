#include <iostream>

#include "app/commands.h"
#include "app/loading.h"
#include "bot/conversation_tests.h"

namespace wache::app {

int RunTest(const CommonOptions& opts, const std::vector<std::string>& paths, bool verbose) {
  auto loaded = LoadAll(opts);
  if (!ReportLoad(*loaded, std::cout)) return 1;
  bot::TestRunSummary total;
  for (const auto& p : paths) {
    auto s = bot::RunConversationTests(p, loaded->playbook, loaded->config, std::cout, verbose);
    total.passed += s.passed;
    total.failed += s.failed;
    total.file_errors += s.file_errors;
  }
  if (total.file_errors) std::cout << total.file_errors << " test file(s) could not be read\n";
  std::cout << total.passed << " passed, " << total.failed << " failed\n";
  return total.failed == 0 && total.file_errors == 0 ? 0 : 1;
}

}  // namespace wache::app
