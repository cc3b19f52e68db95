// Small helpers every SQLite store shares: times as Unix seconds in INTEGER columns, and
// SQLiteCpp's exceptions turned into a Status naming what failed.
#pragma once

#include <chrono>
#include <cstdint>
#include <exception>
#include <string>

#include "bot/clock.h"
#include "bot/status.h"

namespace wache::store {

inline int64_t Seconds(bot::TimePoint t) { return t.time_since_epoch().count(); }
inline bot::TimePoint FromSeconds(int64_t s) { return bot::TimePoint(std::chrono::seconds(s)); }

// Runs `f`; an exception becomes Status::Error("<what> failed: ...").
template <typename F>
auto Guard(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Status::Error(std::string(what) + " failed: " + e.what());
  }
}

}  // namespace wache::store
