// Reading untrusted JSON: the one place that calls nlohmann's parser, with a nesting limit
// and without exceptions, plus accessors that never throw on a field of the wrong type.
// Adapters read every field through these, so a surprising payload becomes an ignored or
// empty field, never a crash.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"

namespace wache::webhook {

// Parses `body`. Errors: empty body, nesting deeper than `max_depth` (checked on the raw
// bytes before parsing, so a hostile body cannot exhaust the stack), invalid JSON.
Result<nlohmann::json> ParseJsonBody(std::string_view body, int max_depth = 32);

// The member `key` of `j`, or nullptr if `j` is not an object or has no such member.
const nlohmann::json* Member(const nlohmann::json& j, const char* key);

// A string member as is; a number member as its decimal text (ids sometimes come as numbers);
// "" for anything else.
std::string StringField(const nlohmann::json& j, const char* key);

// A boolean member; `fallback` if absent or not a boolean.
bool BoolField(const nlohmann::json& j, const char* key, bool fallback = false);

// An integer member given as a number or as a string of digits; nullopt otherwise.
std::optional<int64_t> IntField(const nlohmann::json& j, const char* key);

// The elements of an array member (empty if absent or not an array).
std::vector<const nlohmann::json*> ArrayField(const nlohmann::json& j, const char* key);

}  // namespace wache::webhook
