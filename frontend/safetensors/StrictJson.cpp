//===- StrictJson.cpp - JSON parsing that refuses ambiguity ---------------===//
//
// nlohmann's DOM builder driven through its SAX interface, with one frame
// per open object or array to find duplicate keys and to name the JSON
// pointer of what is refused. Exceptions are off in this build: errors come
// back through the handler.
//
//===----------------------------------------------------------------------===//

#include "dyconv/Frontend/StrictJson.h"

#include <set>
#include <vector>

namespace mlir::dyconv {
namespace {

using Json = nlohmann::json;
using DomBuilder = nlohmann::detail::json_sax_dom_parser<Json>;

class StrictBuilder : public DomBuilder {
public:
  StrictBuilder(Json &result, JsonError &error)
      : DomBuilder(result, /*allow_exceptions_=*/false), error(error) {}

  // sax_parse calls these statically on this type, so hiding the builder's
  // functions is enough.
  bool null() { return value() && DomBuilder::null(); }
  bool boolean(bool v) { return value() && DomBuilder::boolean(v); }
  bool number_integer(number_integer_t v) {
    return value() && DomBuilder::number_integer(v);
  }
  bool number_unsigned(number_unsigned_t v) {
    return value() && DomBuilder::number_unsigned(v);
  }
  bool number_float(number_float_t v, const string_t &text) {
    return value() && DomBuilder::number_float(v, text);
  }
  bool string(string_t &v) { return value() && DomBuilder::string(v); }
  bool binary(binary_t &v) { return value() && DomBuilder::binary(v); }

  bool start_object(std::size_t size) {
    return open(true) && DomBuilder::start_object(size);
  }
  bool start_array(std::size_t size) {
    return open(false) && DomBuilder::start_array(size);
  }
  bool end_object() {
    frames.pop_back();
    return DomBuilder::end_object();
  }
  bool end_array() {
    frames.pop_back();
    return DomBuilder::end_array();
  }

  bool key(string_t &name) {
    Frame &frame = frames.back();
    frame.segment = name;
    if (!frame.keys.insert(name).second)
      return fail(pointer(), "duplicate key '" + name + "'");
    return DomBuilder::key(name);
  }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string &,
                   const Exception &exception) {
    // "[json.exception.parse_error.101] parse error at line 1, column 5:
    // syntax error ..." -> "syntax error ...": callers add the location.
    std::string what = exception.what();
    size_t column = what.find("column ");
    size_t colon =
        column == std::string::npos ? column : what.find(": ", column);
    error.message = colon == std::string::npos ? what : what.substr(colon + 2);
    error.offset = position ? position - 1 : 0;
    return false;
  }

private:
  struct Frame {
    bool object = false;
    /// The key or index of the member being read.
    std::string segment;
    size_t nextIndex = 0;
    std::set<std::string> keys;
  };

  /// Called before every value: names array elements by index.
  bool value() {
    if (!frames.empty() && !frames.back().object)
      frames.back().segment = std::to_string(frames.back().nextIndex++);
    return true;
  }

  bool open(bool object) {
    value();
    if (frames.size() >= kMaxJsonDepth)
      return fail(pointer(), "nesting deeper than " +
                                 std::to_string(kMaxJsonDepth) + " levels");
    frames.push_back({object, "", 0, {}});
    return true;
  }

  std::string pointer() const {
    std::string result;
    for (const Frame &frame : frames)
      result += "/" + frame.segment;
    return result;
  }

  bool fail(std::string at, std::string message) {
    error.pointer = std::move(at);
    error.message = std::move(message);
    return false;
  }

  JsonError &error;
  std::vector<Frame> frames;
};

} // namespace

bool parseStrictJson(llvm::StringRef text, nlohmann::json &result,
                     JsonError &error) {
  error = JsonError();
  StrictBuilder builder(result, error);
  if (Json::sax_parse(text.begin(), text.end(), &builder))
    return true;
  if (error.message.empty())
    error.message = "malformed JSON";
  return false;
}

} // namespace mlir::dyconv
