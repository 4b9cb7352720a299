// ConnectionTable: the server's open connections, counted in total and per remote address, so that
// no client, and no crowd of idle clients, can hold every descriptor or the memory they pin.
//
// Admit() is asked at accept, before anything is allocated for the connection:
//  - over the per-address limit, the new connection is refused (one address cannot crowd out others);
//  - at the total limit, the connection that has waited longest without a request in progress (in a
//    TLS handshake, idle between requests, or still sending its request head, as a slowloris client
//    does) is closed to make room; only when every connection has a request in progress is the new
//    one refused. A connection with a request in progress is never closed to make room;
//  - TLS handshakes in progress have a limit of their own (each holds ~90 KB of TLS state): beyond
//    it the oldest handshake in progress gives way.
// Addresses are counted per IPv4 address and per IPv6 /64 (what one host or subscriber typically
// holds). A limit of 0 means none.
//
// Thread-safe (one mutex). A connection's Closer is called with the mutex released, from the
// thread that admitted the newcomer; it must not block (the server posts the close to the
// connection's own thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace aih::http {

class ConnectionTable {
 public:
  struct Limits {
    size_t max_connections = 0;
    size_t max_per_address = 0;
    size_t max_tls_handshakes = 0;
  };
  enum class Phase { kHandshake, kWaiting, kBusy };  // kWaiting: no request in progress
  using Closer = std::function<void()>;

  struct Node;
  // An admitted connection. Its owner reports its phase through it; destroying it removes the
  // connection from the table (if it has not been closed to make room already).
  class Slot {
   public:
    ~Slot();
    void SetPhase(Phase phase);
    // How the table closes this connection to make room; until set, it is never chosen.
    void SetCloser(Closer closer);

   private:
    friend class ConnectionTable;
    Slot(ConnectionTable& table, std::unique_ptr<Node> node);
    ConnectionTable& table_;
    std::unique_ptr<Node> node_;
  };

  struct Counts {
    size_t open = 0;
    size_t refused = 0;            // over a limit, with nothing to close instead
    size_t closed_for_room = 0;    // closed to make room for a newcomer (or for descriptors)
    size_t ended = 0;              // removed after they ended on their own
  };

  explicit ConnectionTable(Limits limits) : limits_(limits) {}

  // A slot for a connection from `remote_address` starting in `phase`, or null: refused.
  std::unique_ptr<Slot> Admit(const std::string& remote_address, Phase phase);
  // Closes the connection that has waited longest without a request (when descriptors ran out).
  bool CloseLongestWaiting();
  // Closes every connection without a request in progress (a graceful shutdown); returns how many.
  size_t CloseAllWaiting();

  Counts counts() const;

  // The key connections are counted under: the IPv4 address, or the /64 of an IPv6 one.
  static std::string AddressKey(const std::string& remote_address);

 private:
  // With mu_ held: removes `node` from the table; returns its closer when it is being closed.
  Closer RemoveLocked(Node& node);
  // With mu_ held: the longest-waiting node of `phase`, or of the handshake and waiting phases.
  Node* LongestWaitingLocked() const;

  const Limits limits_;
  mutable std::mutex mu_;
  std::list<Node*> phases_[3];  // each in the order its connections entered that phase
  std::unordered_map<std::string, size_t> per_address_;
  size_t open_ = 0;
  Counts counts_;
};

}  // namespace aih::http
