#include "bench/fixtures.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "store/schema.h"
#include "store/sqlite_state_store.h"

namespace wache::bench {

namespace fs = std::filesystem;

bool Prefill(const std::string& db, const std::vector<Target>& targets, long count,
             const std::string& sender_prefix) {
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const char* languages[] = {"de", "de", "de", "en", "tr"};
  const char* flows[] = {"greeting", "applicant", "online_report", "thanks"};
  auto key_of = [&](long i) {
    const Target& t = targets[static_cast<size_t>(i) % targets.size()];
    return bot::ConversationKey{t.platform, t.account_id, sender_prefix + std::to_string(i)};
  };
  auto state_of = [&](long i) {
    bot::ConversationState s;
    s.language = languages[i % 5];
    s.turns = 1 + static_cast<int>(i % 7);
    s.last_activity = now - std::chrono::seconds(i % 7200);
    s.replies_by_flow[flows[i % 4]] = 1;
    return s;
  };
  const int64_t start = NowNs();
  try {
    // The schema comes from the gateway's own OpenDatabase, and each row is written by the
    // gateway's own SaveConversationState, all in one transaction (one Save per row, each
    // its own commit, takes about a minute for 100,000); read back through the store below.
    auto connection = store::OpenConnection(db);
    SQLite::Transaction tx(*connection->db);
    for (long i = 0; i < count; ++i) {
      store::SaveConversationState(connection->stmts, key_of(i), state_of(i));
    }
    tx.commit();
  } catch (const std::exception& e) {
    std::cerr << "prefill: " << e.what() << "\n";
    return false;
  }
  // The gateway's store must read them as written.
  auto store = store::SqliteStateStore::Open(db);
  if (!store.ok()) {
    std::cerr << "prefill: " << store.status().message() << "\n";
    return false;
  }
  for (long i : {0L, count / 2, count - 1}) {
    if (i < 0) continue;
    auto loaded = store.value()->Load(key_of(i));
    if (!loaded.ok() || !loaded.value() || !(*loaded.value() == state_of(i))) {
      std::cerr << "prefill: conversation " << i << " does not read back as written\n";
      return false;
    }
  }
  std::cout << "prefill: " << count << " conversations of " << targets.size()
            << " accounts written to " << db << " in " << (NowNs() - start) / 1'000'000
            << " ms (checked through SqliteStateStore::Load)\n";
  return true;
}

namespace {

// A word of letters only, different for every copy: "zqa", "zqb", ... "zqaa", ...
std::string Tag(int n) {
  std::string letters;
  do {
    letters.insert(letters.begin(), static_cast<char>('a' + n % 26));
    n /= 26;
  } while (n > 0);
  return "zq" + letters;
}

// Makes every keyword below `node` unique with the tag, keeping its wildcards. Patterns stay
// as they are (RE2 compiling them is part of what `check` costs).
void Rewrite(YAML::Node node, const std::string& tag) {
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.as<std::string>() == "patterns") continue;
      Rewrite(it->second, tag);
    }
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      if (node[i].IsScalar()) {
        std::string k = node[i].as<std::string>();
        if (k.size() > 1 && k.back() == '*') {  // "tattoo*" -> "tattoozqa*": still a prefix
          k.insert(k.size() - 1, tag);
        } else if (k.size() > 1 && k.front() == '*') {  // "*tattoo" -> "*zqatattoo"
          k.insert(1, tag);
        } else if (k.find('*') != std::string::npos) {  // "messer*angriff" -> "zqamesser*angriff"
          k = tag + k;
        } else {
          k += " " + tag;  // "hilfe" -> "hilfe zqa"
        }
        node[i] = k;
      } else {
        Rewrite(node[i], tag);
      }
    }
  }
}

}  // namespace

bool GenerateFlows(const std::string& from, const std::string& to, int total,
                   bool with_interrupts) {
  std::error_code ec;
  fs::create_directories(to, ec);
  std::vector<fs::path> shipped;
  for (const auto& e : fs::directory_iterator(from, ec)) {
    if (e.path().extension() == ".yaml") shipped.push_back(e.path());
  }
  if (ec || shipped.empty()) {
    std::cerr << "gen-flows: no flow files in " << from << "\n";
    return false;
  }
  std::sort(shipped.begin(), shipped.end());
  std::vector<YAML::Node> bases;
  for (const auto& p : shipped) {
    fs::copy_file(p, fs::path(to) / p.filename(), fs::copy_options::overwrite_existing, ec);
    if (ec) {
      std::cerr << "gen-flows: cannot copy " << p << ": " << ec.message() << "\n";
      return false;
    }
    YAML::Node flow = YAML::LoadFile(p.string());
    if (flow["priority"] && flow["priority"].as<std::string>() == "fallback") continue;
    if (!flow["when"]) continue;
    if (!with_interrupts && flow["priority"] && flow["priority"].as<std::string>() == "interrupt") {
      continue;
    }
    bases.push_back(flow);
  }
  int written = static_cast<int>(shipped.size());
  for (int c = 0; written < total; ++c, ++written) {
    YAML::Node flow = YAML::Clone(bases[static_cast<size_t>(c) % bases.size()]);
    const std::string tag = Tag(c);
    const std::string name = flow["flow"].as<std::string>() + "_" + tag;
    flow["flow"] = name;
    Rewrite(flow["when"], tag);
    YAML::Emitter out;
    out << flow;
    std::ofstream file(fs::path(to) / (name + ".yaml"));
    file << "# Generated by wache_bench gen-flows from the shipped flows.\n" << out.c_str() << "\n";
    if (!file) {
      std::cerr << "gen-flows: cannot write " << name << ".yaml in " << to << "\n";
      return false;
    }
  }
  std::cout << "gen-flows: " << written << " flow files in " << to << " (" << shipped.size()
            << " shipped, " << written - static_cast<int>(shipped.size()) << " derived)\n";
  return true;
}

}  // namespace wache::bench
