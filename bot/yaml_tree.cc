#include "bot/yaml_tree.h"

#include <yaml.h>

#include <algorithm>
#include <unordered_map>

namespace wache::bot {

YamlNode::Type YamlNode::type() const { return data_ ? data_->type : Type::kUndefined; }

const std::string& YamlNode::Scalar() const {
  static const std::string kEmpty;
  return data_ && data_->type == Type::kScalar ? data_->scalar : kEmpty;
}

YamlMark YamlNode::Mark() const { return data_ ? data_->mark : YamlMark{}; }

size_t YamlNode::size() const {
  if (!data_) return 0;
  if (data_->type == Type::kSequence) return data_->items.size();
  if (data_->type == Type::kMap) return data_->entries.size();
  return 0;
}

YamlNode YamlNode::operator[](std::string_view key) const {
  if (!data_ || data_->type != Type::kMap) return YamlNode();
  for (const auto& [k, v] : data_->entries) {
    if (k->type == Type::kScalar && k->scalar == key) return YamlNode(v);
  }
  return YamlNode();
}

YamlNode YamlNode::operator[](size_t i) const {
  if (!data_ || data_->type != Type::kSequence || i >= data_->items.size()) return YamlNode();
  return YamlNode(data_->items[i]);
}

YamlEntry YamlNode::Iterator::operator*() const {
  YamlEntry e;
  if (data_->type == Type::kSequence) {
    static_cast<YamlNode&>(e) = YamlNode(data_->items[i_]);
  } else {
    e.first = YamlNode(data_->entries[i_].first);
    e.second = YamlNode(data_->entries[i_].second);
  }
  return e;
}

namespace {

// Aliases share nodes, so a small document can stand for a huge tree ("billion laughs").
// Canonical() stops writing at this size: enough for any config section we compare.
constexpr size_t kCanonicalLimit = 1 << 20;

void WriteCanonical(const YamlNodeData* n, std::string& out) {
  if (out.size() > kCanonicalLimit) return;
  if (!n) {
    out += '?';
    return;
  }
  switch (n->type) {
    case YamlNode::Type::kUndefined:
      out += '?';
      break;
    case YamlNode::Type::kNull:
      out += '~';
      break;
    case YamlNode::Type::kScalar:
      // Length first: no text inside a scalar can look like the structure around it.
      out += std::to_string(n->scalar.size()) + ':' + n->scalar;
      break;
    case YamlNode::Type::kSequence:
      out += '[';
      for (const auto* item : n->items) WriteCanonical(item, out), out += ',';
      out += ']';
      break;
    case YamlNode::Type::kMap:
      out += '{';
      for (const auto& [k, v] : n->entries) {
        WriteCanonical(k, out);
        out += '=';
        WriteCanonical(v, out);
        out += ',';
      }
      out += '}';
      break;
  }
}

YamlMark MarkOf(const yaml_mark_t& m) {
  return {static_cast<int>(m.line), static_cast<int>(m.column)};
}

// Plain `~`, `null` and nothing at all are YAML's null; quoted, they are text.
bool IsPlainNull(const yaml_event_t& ev) {
  if (ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const std::string_view v(reinterpret_cast<const char*>(ev.data.scalar.value),
                           ev.data.scalar.length);
  return v.empty() || v == "~" || v == "null" || v == "Null" || v == "NULL";
}

// libyaml's reader reports a byte offset, not a line, for text that is not UTF-8.
YamlMark MarkAtOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  YamlMark m{0, 0};
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.column;
    }
  }
  return m;
}

YamlError ParserError(const yaml_parser_t& p, std::string_view text) {
  using Kind = YamlError::Kind;
  if (p.error == YAML_MEMORY_ERROR) return {Kind::kSyntax, {0, 0}, "out of memory"};
  if (p.error == YAML_READER_ERROR) {
    return {Kind::kNotUtf8, MarkAtOffset(text, p.problem_offset),
            p.problem ? p.problem : "unreadable text"};
  }
  std::string message = p.problem ? p.problem : "not YAML";
  // "while parsing a flow sequence": where the unclosed or broken part began.
  if (p.context && (p.context_mark.line != p.problem_mark.line ||
                    p.context_mark.column != p.problem_mark.column)) {
    message += std::string(" ") + p.context + " that starts at line " +
               std::to_string(p.context_mark.line + 1);
  }
  return {Kind::kSyntax, MarkOf(p.problem_mark), message};
}

}  // namespace

std::string YamlNode::Canonical() const {
  std::string out;
  WriteCanonical(data_, out);
  return out;
}

// Our files nest a handful of levels. libyaml checks every open level for each token, so
// a file of 100,000 '[' took 20 s; deeper than this is reported as a mistake at once.
constexpr size_t kMaxDepth = 200;

// Builds the tree from libyaml's events with an explicit stack: no recursion, so no depth
// of nesting can exhaust the call stack.
YamlParse YamlParse::Of(std::string_view text) {
  using Type = YamlNode::Type;
  YamlParse result;
  auto nodes = std::make_unique<std::deque<YamlNodeData>>();
  const YamlNodeData* root = nullptr;
  struct Open {
    YamlNodeData* node;
    const YamlNodeData* key = nullptr;  // a map's key waiting for its value
    std::string anchor;
  };
  std::vector<Open> open;
  std::unordered_map<std::string, const YamlNodeData*> anchors;

  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()),
                               text.size());
  auto place = [&](const YamlNodeData* node) {
    if (open.empty()) {
      if (!root) root = node;
      return;
    }
    Open& parent = open.back();
    if (parent.node->type == Type::kSequence) {
      parent.node->items.push_back(node);
    } else if (!parent.key) {
      parent.key = node;
    } else {
      parent.node->entries.emplace_back(parent.key, node);
      parent.key = nullptr;
    }
  };
  auto anchor_of = [](const unsigned char* a) {
    return a ? std::string(reinterpret_cast<const char*>(a)) : std::string();
  };

  bool done = false, failed = false;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      result.error = ParserError(parser, text);
      failed = true;
      break;
    }
    switch (ev.type) {
      case YAML_DOCUMENT_END_EVENT:  // only the first document counts, as with yaml-cpp
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_ALIAS_EVENT: {
        const std::string name = anchor_of(ev.data.alias.anchor);
        auto it = anchors.find(name);
        if (it == anchors.end()) {
          result.error = {YamlError::Kind::kUndefinedAlias, MarkOf(ev.start_mark), name};
          failed = done = true;
          break;
        }
        place(it->second);
        break;
      }
      case YAML_SCALAR_EVENT: {
        YamlNodeData& n = nodes->emplace_back();
        n.type = IsPlainNull(ev) ? Type::kNull : Type::kScalar;
        n.mark = MarkOf(ev.start_mark);
        if (n.type == Type::kScalar) {
          n.scalar.assign(reinterpret_cast<const char*>(ev.data.scalar.value),
                          ev.data.scalar.length);
        }
        if (ev.data.scalar.anchor) anchors[anchor_of(ev.data.scalar.anchor)] = &n;
        place(&n);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (open.size() >= kMaxDepth) {
          result.error = {
              YamlError::Kind::kSyntax, MarkOf(ev.start_mark),
              "lists and maps nested more than " + std::to_string(kMaxDepth) + " levels deep"};
          failed = done = true;
          break;
        }
        YamlNodeData& n = nodes->emplace_back();
        const bool sequence = ev.type == YAML_SEQUENCE_START_EVENT;
        n.type = sequence ? Type::kSequence : Type::kMap;
        n.mark = MarkOf(ev.start_mark);
        place(&n);
        // The anchor names the collection only once it is complete: an alias inside
        // itself would make the tree a cycle.
        open.push_back(
            {&n, nullptr,
             anchor_of(sequence ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor)});
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!open.back().anchor.empty()) anchors[open.back().anchor] = open.back().node;
        open.pop_back();
        break;
      default:  // stream and document start
        break;
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&parser);
  if (failed) return result;
  if (!root) root = &nodes->emplace_back();  // an empty file: a null document
  result.document.emplace(YamlDocument(std::move(nodes), root));
  return result;
}

}  // namespace wache::bot
