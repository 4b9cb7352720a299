// Request and Response: HTTP messages as the rest of aihistory sees them.
//
// The server (server.h) translates to and from the wire; nothing outside src/http includes Beast.
// Header names in a Request are lower-cased. Every request gets a fresh request-id; the
// client-request-id a client sent is echoed on the response.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aih::http {

class ResponseStream;

// What a request was, for its log line and its metrics (the server writes both once the response
// has ended): the router notes the route template it matched, and the handlers the caller and how
// many items the request wrote or exported. Filled by the worker(s) running the handler, read by the
// server after the response (its hand-over to the I/O thread orders the two). Never a token, a body
// or content: only what may be logged.
struct RequestFacts {
  std::string route = "unmatched";  // the pattern that matched ("/v1.0/users/{userId}/..."), never the raw path
  std::string tenant_id;            // of the authenticated caller, when known
  std::string app_id;
  int64_t items = -1;               // interactions written or exported; -1: not a request that has items
  int64_t item_bytes = 0;           // their canonical JSON, when items >= 0

  void AddItems(int64_t n, int64_t bytes) {
    items = (items < 0 ? 0 : items) + n;
    item_bytes += bytes;
  }
};

struct Request {
  std::string method;        // "GET", "POST", ...
  std::string target;        // as received: path?query (percent-encoded)
  std::string scheme;        // "http" or "https"
  std::string host;          // the Host header (host[:port])
  std::string remote_address;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string request_id;         // assigned by the server
  std::string client_request_id;  // as sent, or empty
  // Set by the server (null when handlers are called directly, in tests). See ResponseStream.
  ResponseStream* stream = nullptr;
  // Filled while the request is handled (handlers see a const Request).
  mutable RequestFacts facts;

  std::string_view path() const {
    auto q = target.find('?');
    return std::string_view(target).substr(0, q);
  }
  std::string_view query() const {
    auto q = target.find('?');
    return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  }
  // The value of header `name` (lower-case), or empty.
  std::string_view Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return {};
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; odata.metadata=minimal; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Out of line (message.cc): inlined into its callers, GCC 12 at -O2 warns falsely (-Warray-bounds)
  // about moving a std::string made from a literal.
  void SetHeader(std::string name, std::string value);
};

// Lets a handler start sending a large body while it is still producing it (chunked transfer
// coding), so that reading the database and sending to the client overlap instead of taking turns,
// and a page is never held whole in memory.
//
// Begin() fixes the status, content type and headers (the server adds request-id and
// client-request-id). After Begin(), the Response the handler returns supplies only the rest of
// the body; if the handler then returns a different status (a failure after the head was sent),
// the server aborts the connection so that the client sees a truncated response, never a wrong one.
//
// Back-pressure: the server holds at most a configured number of unsent bytes per connection
// (ServerOptions::stream_buffer_bytes). Write() returns false once that much is waiting, or when
// the client is gone: the handler should then stop producing, hand the rest of its work to
// Resume() and return (its Response is then ignored). The server runs `rest` on a worker once the
// client has taken enough of what is queued; `rest` returns the end of the response as the handler
// would have, or calls Resume() again. A worker thread never waits for a slow client. If the client
// takes nothing within the send timeout, or goes away, the response is aborted and `rest` is
// dropped without running. The Request stays valid until the response has ended.
//
// Deferral: a handler that must wait for something outside the server (a subscriber's receiver
// answering a validation handshake) calls Defer() and returns at once; its Response is ignored.
// The connection then holds no worker while it waits. The returned Continuation, called once from
// any thread, runs `rest` on a worker, and `rest` answers as the handler would have (it may stream,
// or even defer again). A Continuation destroyed without being called closes the connection
// unanswered (the client sees it closed, never a wrong response); later calls are ignored.
// Called from the worker running the handler (or `rest`) only; the Continuation from any thread.
class ResponseStream {
 public:
  using Continuation = std::function<void(std::function<Response()> rest)>;

  virtual ~ResponseStream() = default;
  // Whether Begin() and Write() may be used: chunked transfer coding needs HTTP/1.1. Deferral
  // works on every request.
  virtual bool can_stream() const = 0;
  virtual void Begin(const Response& head) = 0;
  virtual bool Write(std::string part) = 0;  // empty parts are ignored
  virtual bool begun() const = 0;
  virtual void Resume(std::function<Response()> rest) = 0;  // after Begin() only
  virtual Continuation Defer() = 0;                         // before Begin() only
};

}  // namespace aih::http
