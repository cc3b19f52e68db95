// Data the benchmark sets up before it measures: stored conversations (the state of many
// people who wrote before) and a large set of flow files for `wache check`.
#pragma once

#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace wache::bench {

// Writes `count` conversations into the SQLite file `db` (schema from store::OpenDatabase,
// rows as store::SqliteStateStore writes them, checked by reading some back through it).
// Conversation i belongs to targets[i % size] and to the sender `sender_prefix + i`, the sender the
// load generator uses for its message i, so a later load with the same prefix writes to stored
// conversations. Their last activity is spread over the last two hours (some still open,
// some expired); none waits for an answer. Prints what it did; false on error.
bool Prefill(const std::string& db, const std::vector<Target>& targets, long count,
             const std::string& sender_prefix);

// Copies the flow files of `from` into `to` and adds derived flows until `to` holds `total`
// files: copies of the shipped flows (not the fallback, of which there is one) with a unique
// flow name and every keyword made unique by a word of its own; patterns are kept. Without
// `with_interrupts`, only flows of other priorities are copied (the shipped interrupt flows
// stay the only ones). False on error.
bool GenerateFlows(const std::string& from, const std::string& to, int total, bool with_interrupts);

}  // namespace wache::bench
