#include "bot/conversation_tests.h"

#include <date/date.h>

#include <deque>

#include "bot/engine.h"
#include "bot/flow_loader.h"
#include "bot/yaml_source.h"

namespace wache::bot {
namespace {

// "90s", "31m", "2h", "1d" → seconds; -1 if malformed.
long ParseDuration(const std::string& s) {
  if (s.size() < 2) return -1;
  long n = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    n = n * 10 + (s[i] - '0');
  }
  switch (s.back()) {
    case 's':
      return n;
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
    default:
      return -1;
  }
}

std::string Describe(const Reply& r) {
  std::string s =
      r.template_key + " \"" + r.text.substr(0, 80) + (r.text.size() > 80 ? "...\"" : "\"");
  return s;
}

class TestCase {
 public:
  TestCase(YamlReader& r, std::shared_ptr<const Playbook> pb, const Account& account,
           std::string platform, std::string name, std::ostream& out)
      : r_(r),
        store_(),
        clock_(),
        engine_(std::move(pb), store_, clock_),
        account_(account),
        platform_(std::move(platform)),
        name_(std::move(name)),
        out_(out) {}

  void StartAt(TimePoint t) { clock_.Set(t); }

  // Returns true if every step passed. Stops at the first failure: later steps would only
  // report consequences of it.
  bool Run(const YamlNode& steps) {
    if (!steps.IsSequence()) return Fail(r_.At(steps), "steps: must be a list");
    for (const auto& step : steps) {
      if (!step.IsMap()) return Fail(r_.At(step), "a step is a map like '- user: hallo'");
      r_.CheckKeys(step,
                   {"user", "tap", "tap_payload", "bot", "says", "wait", "flow", "flags",
                    "no_flags", "language", "buttons", "nothing_more"},
                   "a test step");
      if (!RunStep(step)) return false;
    }
    return true;
  }

 private:
  bool RunStep(const YamlNode& step) {
    SourceLocation at = r_.At(step);
    if (step["wait"]) {
      long secs = ParseDuration(step["wait"].Scalar());
      if (secs < 0) return Fail(at, "wait: needs a duration like 90s, 31m, 2h or 1d");
      clock_.Advance(std::chrono::seconds(secs));
    }
    if (step["user"]) {
      if (!Send(step["user"].Scalar(), "", at)) return false;
    }
    if (step["tap"] || step["tap_payload"]) {
      std::string payload;
      if (step["tap_payload"]) {
        payload = step["tap_payload"].Scalar();
      } else {
        std::string want = step["tap"].Scalar();
        std::string shown;
        for (const auto& b : last_buttons_) {
          if (b.label_key == want || b.label == want) payload = b.payload;
          shown += (shown.empty() ? "" : ", ") + b.label_key;
        }
        if (payload.empty()) {
          return Fail(at, "no button '" + want + "' in the last question; buttons were: " +
                              (shown.empty() ? "(none)" : shown));
        }
      }
      if (!Send("", payload, at)) return false;
    }
    if (step["bot"]) {
      std::string want = step["bot"].Scalar();
      if (queue_.empty()) {
        return Fail(at, "expected bot reply '" + want + "', got no (more) replies");
      }
      Reply got = queue_.front();
      queue_.pop_front();
      if (got.template_key != want) {
        return Fail(at, "expected bot reply '" + want + "', got " + Describe(got));
      }
      for (auto& [text, where] : r_.StringList(step["says"], "text")) {
        if (got.text.find(text) == std::string::npos) {
          return Fail(where,
                      "expected '" + want + "' to say \"" + text + "\", got \"" + got.text + "\"");
        }
      }
      if (step["buttons"]) {
        auto labels = r_.StringList(step["buttons"], "label key");
        std::string shown;
        for (const auto& b : got.buttons) shown += (shown.empty() ? "" : ", ") + b.label_key;
        bool same = labels.size() == got.buttons.size();
        for (size_t i = 0; same && i < labels.size(); ++i)
          same = labels[i].first == got.buttons[i].label_key;
        if (!same) return Fail(at, "expected buttons of '" + want + "' to differ; got: " + shown);
      }
    }
    if (step["nothing_more"]) {
      if (!queue_.empty()) {
        return Fail(at, "expected no more replies, got " + Describe(queue_.front()));
      }
    }
    if (step["flow"]) {
      std::string want = step["flow"].Scalar();
      if (last_.flow != want) {
        return Fail(at, "expected flow '" + want + "' to answer, got '" + last_.flow + "'" +
                            (last_.matched.empty() ? "" : " (matched '" + last_.matched + "')"));
      }
    }
    if (step["language"]) {
      std::string want = step["language"].Scalar();
      if (last_.language != want) {
        return Fail(at, "expected language '" + want + "', got '" + last_.language + "'");
      }
    }
    for (auto& [flag, where] : r_.StringList(step["flags"], "flag")) {
      if (std::find(last_.flags.begin(), last_.flags.end(), flag) == last_.flags.end()) {
        return Fail(where, "expected flag '" + flag + "' on the last answer");
      }
    }
    for (auto& [flag, where] : r_.StringList(step["no_flags"], "flag")) {
      if (std::find(last_.flags.begin(), last_.flags.end(), flag) != last_.flags.end()) {
        return Fail(where, "did not expect flag '" + flag + "' on the last answer");
      }
    }
    return true;
  }

  bool Send(const std::string& text, const std::string& payload, const SourceLocation& at) {
    InboundMessage msg;
    msg.platform = platform_;
    msg.account = account_.id;
    msg.sender = "test-user";
    msg.text = text;
    msg.button_payload = payload;
    auto d = engine_.Handle(msg, account_);
    if (!d.ok()) return Fail(at, "engine failed: " + d.status().message());
    last_ = d.value();
    queue_.assign(last_.replies.begin(), last_.replies.end());
    for (const auto& r : last_.replies) {
      if (!r.buttons.empty()) last_buttons_ = r.buttons;
    }
    return true;
  }

  bool Fail(const SourceLocation& at, const std::string& why) {
    out_ << at.file << ":" << at.line << ": FAIL " << name_ << ": " << why << "\n";
    return false;
  }

  YamlReader& r_;
  MemoryStateStore store_;
  FakeClock clock_;
  Engine engine_;
  const Account& account_;
  std::string platform_;
  std::string name_;
  std::ostream& out_;
  Decision last_;
  std::deque<Reply> queue_;
  std::vector<Button> last_buttons_;
};

void RunFile(const std::string& file, std::shared_ptr<const Playbook> pb, const GatewayConfig& cfg,
             std::ostream& out, bool verbose, TestRunSummary& sum) {
  Diagnostics diags;
  auto root = LoadYamlFile(file, diags);
  YamlReader r(file, diags);
  auto file_error = [&](const SourceLocation& at, const std::string& why) { diags.Error(at, why); };
  const Account* account = nullptr;
  std::string platform;
  if (root && root->IsMap()) {
    r.CheckKeys(*root, {"platform", "account", "tests"}, "a conversation test file");
    std::string account_id = (*root)["account"] ? (*root)["account"].Scalar() : "";
    account = account_id.empty() ? (cfg.accounts.empty() ? nullptr : &cfg.accounts.front())
                                 : cfg.FindAccount(account_id);
    if (!account) {
      std::vector<std::string> ids;
      for (const auto& a : cfg.accounts) ids.push_back(a.id);
      file_error(r.At((*root)["account"]),
                 "unknown account '" + account_id + "'" + DidYouMean(account_id, ids));
    }
    platform =
        (*root)["platform"] ? (*root)["platform"].Scalar() : (account ? account->platform : "");
    if (!(*root)["tests"] || !(*root)["tests"].IsSequence()) {
      file_error(r.At(*root), "a test file needs 'tests:', a list of tests");
    }
  } else if (root) {
    file_error({file, 1, 1}, "a test file is a map with platform:, account: and tests:");
  }
  if (diags.has_errors() || !root) {
    out << diags.Format();
    ++sum.file_errors;
    return;
  }
  for (const auto& test : (*root)["tests"]) {
    std::string name = test["name"]
                           ? test["name"].Scalar()
                           : "(unnamed test at line " + std::to_string(r.At(test).line) + ")";
    TestCase tc(r, pb, *account, platform, name, out);
    bool ok = true;
    if (test["at"]) {
      // The moment the conversation starts, in UTC: office hours, holidays and off-duty
      // steps depend on it. Without it: Friday 2027-01-15 08:00 UTC, a working morning.
      std::istringstream in(test["at"].Scalar());
      date::sys_seconds at;
      in >> date::parse("%Y-%m-%dT%H:%M%Z", at);
      if (in.fail()) {
        diags.Error(r.At(test["at"]), "at: is a UTC time like 2026-12-24T18:00Z");
        ok = false;
      } else {
        tc.StartAt(at);
      }
    }
    ok = ok && tc.Run(test["steps"]);
    if (diags.has_errors()) {
      out << diags.Format();
      diags = Diagnostics();
      ok = false;
    }
    if (ok) {
      ++sum.passed;
      if (verbose) out << file << ": PASS " << name << "\n";
    } else {
      ++sum.failed;
    }
  }
}

}  // namespace

TestRunSummary RunConversationTests(const std::string& path,
                                    std::shared_ptr<const Playbook> playbook,
                                    const GatewayConfig& config, std::ostream& out, bool verbose) {
  TestRunSummary sum;
  auto files = YamlFilesIn(path);
  if (files.empty()) {
    out << path << ": no test files (*.yaml) found\n";
    ++sum.file_errors;
  }
  for (const auto& f : files) {
    Diagnostics guard;
    GuardYaml(f, guard, [&] { RunFile(f, playbook, config, out, verbose, sum); });
    if (guard.has_errors()) {
      out << guard.Format();
      ++sum.file_errors;
    }
  }
  return sum;
}

}  // namespace wache::bot
