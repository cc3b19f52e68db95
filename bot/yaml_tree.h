// A read-only YAML tree with the position of every node, built from libyaml's events.
//
// Why our own tree and not yaml-cpp's: `wache check` over 200 large flow files spent about
// 80 ms of CPU in yaml-cpp for 576 KB (its scanner tries a regular expression per character,
// and every node is a few shared, reference-counted objects). libyaml's event parser and
// this flat tree read the same files several times faster (bench/README.md, "A YAML reader
// of our own"). The interface follows the part of yaml-cpp's Node that our loaders used, so
// reading code stays familiar: `node["key"]`, `IsMap()`, `Scalar()`, iteration.
//
// The tree is immutable once parsed. A YamlNode is a pointer into its YamlDocument, so it
// must not outlive the document (loaders copy what they keep into their own structures).
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wache::bot {

struct YamlNodeData;

// Where a node starts; 0-based, like libyaml's (and yaml-cpp's) marks.
struct YamlMark {
  int line = -1;
  int column = -1;
  bool is_null() const { return line < 0; }
};

class YamlNode {
 public:
  enum class Type { kUndefined, kNull, kScalar, kSequence, kMap };

  YamlNode() = default;  // undefined: what a missing key gives
  explicit YamlNode(const YamlNodeData* data) : data_(data) {}

  Type type() const;
  bool IsDefined() const { return data_ != nullptr; }
  explicit operator bool() const { return IsDefined(); }
  bool operator!() const { return !IsDefined(); }
  // `key:` with nothing after it, `~` or `null` (unquoted).
  bool IsNull() const { return type() == Type::kNull; }
  bool IsScalar() const { return type() == Type::kScalar; }
  bool IsSequence() const { return type() == Type::kSequence; }
  bool IsMap() const { return type() == Type::kMap; }

  // The text of a scalar; empty for anything else.
  const std::string& Scalar() const;
  YamlMark Mark() const;
  // Items of a sequence, entries of a map, 0 for anything else.
  size_t size() const;

  // The value of `key` in a map (the first, if a key is written twice); undefined if the
  // key is missing or this is not a map.
  YamlNode operator[](std::string_view key) const;
  YamlNode operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  YamlNode operator[](const std::string& key) const { return (*this)[std::string_view(key)]; }
  // Item `i` of a sequence; undefined if out of range or not a sequence.
  YamlNode operator[](size_t i) const;

  // Iteration yields a YamlEntry: for a sequence the entry is the item itself; for a map,
  // `first` is the key and `second` the value (as in yaml-cpp, so `for (auto& kv : map)`).
  class Iterator;
  Iterator begin() const;
  Iterator end() const;

  // The same tree as one line of text: equal for documents that say the same, whatever the
  // comments, quoting or layout (to notice whether a config section changed).
  std::string Canonical() const;

 private:
  const YamlNodeData* data_ = nullptr;
};

struct YamlEntry : YamlNode {
  YamlNode first, second;
};

class YamlNode::Iterator {
 public:
  Iterator(const YamlNodeData* data, size_t i) : data_(data), i_(i) {}
  YamlEntry operator*() const;
  Iterator& operator++() {
    ++i_;
    return *this;
  }
  bool operator!=(const Iterator& o) const { return i_ != o.i_; }
  bool operator==(const Iterator& o) const { return i_ == o.i_; }

 private:
  const YamlNodeData* data_;
  size_t i_;
};

inline YamlNode::Iterator YamlNode::begin() const { return Iterator(data_, 0); }
inline YamlNode::Iterator YamlNode::end() const { return Iterator(data_, size()); }

struct YamlNodeData {
  YamlNode::Type type = YamlNode::Type::kNull;
  YamlMark mark;
  std::string scalar;
  std::vector<const YamlNodeData*> items;                                    // sequence
  std::vector<std::pair<const YamlNodeData*, const YamlNodeData*>> entries;  // map
};

// A parsed document: owns its nodes, and is its root node.
class YamlDocument : public YamlNode {
 public:
  YamlDocument(YamlDocument&&) = default;
  YamlDocument& operator=(YamlDocument&&) = default;

 private:
  friend struct YamlParse;
  YamlDocument(std::unique_ptr<std::deque<YamlNodeData>> nodes, const YamlNodeData* root)
      : YamlNode(root), nodes_(std::move(nodes)) {}
  std::unique_ptr<std::deque<YamlNodeData>> nodes_;  // a deque: node addresses never move
};

// What went wrong in a file that is not YAML; 0-based position.
struct YamlError {
  enum class Kind { kSyntax, kNotUtf8, kUndefinedAlias };
  Kind kind = Kind::kSyntax;
  YamlMark mark;
  std::string message;  // libyaml's words for a syntax error; our own for the other kinds
};

// Parses the first document of `text` (an empty text gives a null root). Either the
// document or the error is set.
struct YamlParse {
  std::optional<YamlDocument> document;
  YamlError error;

  static YamlParse Of(std::string_view text);
};

}  // namespace wache::bot
