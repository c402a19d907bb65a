// Minimal JSON output for the documents the gateway writes itself (error bodies): strings are
// escaped and invalid UTF-8 is replaced, so a hostile input can never make the output invalid.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tiquete::gateway {

// Appends `text` as a quoted JSON string; bytes that are not valid UTF-8 become U+FFFD.
void AppendJsonString(std::string* out, std::string_view text);
std::string JsonString(std::string_view text);

// Replaces bytes that are not valid UTF-8 with U+FFFD.
std::string SanitizeUtf8(std::string_view text);

}  // namespace tiquete::gateway

namespace tiquete::gateway {

// An ordered JSON document builder (objects keep insertion order), for documents the gateway
// writes itself such as the OpenAPI description.
class JsonValue {
 public:
  JsonValue() : kind_(Kind::kNull) {}
  JsonValue(bool b) : kind_(Kind::kBool), bool_(b) {}                        // NOLINT
  JsonValue(int n) : kind_(Kind::kNumber), number_(n) {}                     // NOLINT
  JsonValue(double n) : kind_(Kind::kNumber), number_(n) {}                  // NOLINT
  JsonValue(const char* s) : kind_(Kind::kString), string_(s) {}             // NOLINT
  JsonValue(std::string s) : kind_(Kind::kString), string_(std::move(s)) {}  // NOLINT
  static JsonValue Object() { return JsonValue(Kind::kObject); }
  static JsonValue Array() { return JsonValue(Kind::kArray); }

  // Object member (created as null when missing); turns a null value into an object.
  JsonValue& operator[](const std::string& key);
  bool Has(const std::string& key) const;
  // Array append; turns a null value into an array.
  JsonValue& Push(JsonValue v);
  size_t size() const { return items_.size(); }

  std::string Dump() const;
  void DumpTo(std::string* out) const;

 private:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  explicit JsonValue(Kind k) : kind_(k) {}
  Kind kind_;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<std::pair<std::string, JsonValue>> items_;  // arrays use empty keys
};

}  // namespace tiquete::gateway
