// The subcommands of the `wache` binary. Each returns the process exit code.
// Wiring only: the behaviour lives in bot/, store/ and webhook/.
#pragma once

#include <string>
#include <vector>

namespace wache::app {

struct CommonOptions {
  std::string config = "config/wache.yaml";
  std::string flows;      // overrides the config's flows folder
  std::string templates;  // overrides the config's templates folder
};

int RunCheck(const CommonOptions& opts, const std::vector<std::string>& paths, bool quiet);
int RunSimulate(const CommonOptions& opts, const std::string& state_db);
int RunChat(const CommonOptions& opts, const std::string& platform, const std::string& account,
            bool in_memory);
int RunTest(const CommonOptions& opts, const std::vector<std::string>& paths, bool verbose);

}  // namespace wache::app
