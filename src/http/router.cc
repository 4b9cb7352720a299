#include "http/router.h"

#include <algorithm>

#include "base/ascii.h"
#include "http/graph_error.h"

namespace aih::http {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

// Decodes %XX; false on a malformed escape or a decoded NUL.
bool Decode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      *out += in[i];
      continue;
    }
    if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      return false;
    }
    char c = static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
    if (c == '\0') return false;
    *out += c;
    i += 2;
  }
  return true;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, RouteHandler handler) {
  std::vector<std::string> segments;
  for (auto& s : Split(pattern)) segments.push_back(s.front() == '{' ? s : AsciiLower(s));
  entries_.push_back(Entry{method, pattern, std::move(segments), std::move(handler)});
}

Response Router::Route(const Request& request) const {
  std::vector<std::string> raw = Split(request.path());
  std::vector<std::string> segs(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (!Decode(raw[i], &segs[i])) {
      return ErrorResponse(request, Status::BadRequest("the path segment '" + raw[i] +
                                                       "' has a malformed percent-escape"));
    }
  }
  bool method_mismatch = false;
  std::vector<std::string> allowed;
  size_t best_depth = 0;  // how far the closest pattern matched, to name the unknown segment
  for (const Entry& e : entries_) {
    PathParams params;
    size_t depth = 0;
    bool match = e.segments.size() == segs.size();
    for (size_t i = 0; i < e.segments.size() && i < segs.size(); ++i) {
      const std::string& p = e.segments[i];
      if (p.front() == '{') {
        if (segs[i].empty()) { match = false; break; }
        params[p.substr(1, p.size() - 2)] = segs[i];
      } else {
        std::string s = AsciiLower(segs[i]);
        if (i + 1 == e.segments.size() && s.size() == p.size() + 2 && s.compare(p.size(), 2, "()") == 0) {
          s.resize(p.size());
        }
        if (s != p) { match = false; break; }
      }
      depth = i + 1;
    }
    // A pattern that starts with a capture (/{tenant}/oauth2/...) matches any first segment: that says
    // nothing about which segment is unknown unless its next literal matched too.
    if (depth == 1 && e.segments.size() > 1 && e.segments[0].front() == '{') depth = 0;
    best_depth = std::max(best_depth, depth);
    if (!match) continue;
    if (e.method != request.method) {
      method_mismatch = true;
      allowed.push_back(e.method);
      continue;
    }
    request.facts.route = e.pattern;
    return e.handler(request, params);
  }
  if (method_mismatch) {
    std::string list;
    for (auto& m : allowed) list += (list.empty() ? "" : ", ") + m;
    Response r = ErrorResponse(request, Status(Code::kMethodNotAllowed, request.method +
                                                   " is not supported on this resource; use " + list));
    r.SetHeader("Allow", list);
    return r;
  }
  // The first segment no pattern knows; a path that is only a prefix of patterns names its last segment.
  std::string segment = best_depth < raw.size() ? segs[best_depth] : raw.empty() ? "/" : segs.back();
  return ErrorResponse(request, Status::NotFound("Resource not found for the segment '" + segment + "'."));
}

}  // namespace aih::http
