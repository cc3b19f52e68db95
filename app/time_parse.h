// Parses the times people write in simulate input and test files.
#pragma once

#include <optional>
#include <string>

#include "bot/clock.h"

namespace wache::app {

// "2026-11-23T10:00:00Z", "2026-11-23T10:00:00+01:00", "2026-11-23 10:00" (UTC),
// or Unix seconds. nullopt if none of these.
std::optional<bot::TimePoint> ParseTime(const std::string& s);
std::string FormatTime(bot::TimePoint t);

}  // namespace wache::app
