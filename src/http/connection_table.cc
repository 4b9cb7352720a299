#include "http/connection_table.h"

#include <arpa/inet.h>

#include <cstring>
#include <vector>

namespace aih::http {

struct ConnectionTable::Node {
  std::string address_key;
  Phase phase = Phase::kWaiting;
  std::chrono::steady_clock::time_point since;  // when it entered its phase
  std::list<Node*>::iterator position;
  bool in_table = false;
  Closer closer;
};

namespace {
size_t Index(ConnectionTable::Phase phase) { return static_cast<size_t>(phase); }
}  // namespace

std::string ConnectionTable::AddressKey(const std::string& remote_address) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, remote_address.c_str(), &v6) != 1) return remote_address;
  static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(v6.s6_addr, kMappedPrefix, sizeof kMappedPrefix) == 0) {  // ::ffff:a.b.c.d is IPv4
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof text);
    return text;
  }
  std::memset(v6.s6_addr + 8, 0, 8);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &v6, text, sizeof text);
  return std::string(text) + "/64";
}

ConnectionTable::Slot::Slot(ConnectionTable& table, std::unique_ptr<Node> node)
    : table_(table), node_(std::move(node)) {}

ConnectionTable::Slot::~Slot() {
  Closer unused;
  std::lock_guard lock(table_.mu_);
  if (!node_->in_table) return;
  unused = table_.RemoveLocked(*node_);
  ++table_.counts_.ended;
}

void ConnectionTable::Slot::SetPhase(Phase phase) {
  std::lock_guard lock(table_.mu_);
  Node& node = *node_;
  if (!node.in_table || node.phase == phase) return;
  auto& to = table_.phases_[Index(phase)];
  to.splice(to.end(), table_.phases_[Index(node.phase)], node.position);
  node.phase = phase;
  node.since = std::chrono::steady_clock::now();
}

void ConnectionTable::Slot::SetCloser(Closer closer) {
  std::lock_guard lock(table_.mu_);
  node_->closer = std::move(closer);
}

ConnectionTable::Closer ConnectionTable::RemoveLocked(Node& node) {
  phases_[Index(node.phase)].erase(node.position);
  node.in_table = false;
  --open_;
  auto count = per_address_.find(node.address_key);
  if (count != per_address_.end() && --count->second == 0) per_address_.erase(count);
  return std::move(node.closer);
}

ConnectionTable::Node* ConnectionTable::LongestWaitingLocked() const {
  Node* best = nullptr;
  for (Phase phase : {Phase::kHandshake, Phase::kWaiting}) {
    for (Node* node : phases_[Index(phase)]) {
      if (!node->closer) continue;  // not yet closable: the next in line is
      if (!best || node->since < best->since) best = node;
      break;
    }
  }
  return best;
}

std::unique_ptr<ConnectionTable::Slot> ConnectionTable::Admit(const std::string& remote_address, Phase phase) {
  std::vector<Closer> to_close;
  std::unique_ptr<Slot> slot;
  {
    std::lock_guard lock(mu_);
    std::string key = AddressKey(remote_address);
    auto from_address = per_address_.find(key);
    if (limits_.max_per_address && from_address != per_address_.end() &&
        from_address->second >= limits_.max_per_address) {
      ++counts_.refused;
      return nullptr;
    }
    if (limits_.max_connections && open_ >= limits_.max_connections) {
      Node* victim = LongestWaitingLocked();
      if (!victim) {
        ++counts_.refused;
        return nullptr;
      }
      to_close.push_back(RemoveLocked(*victim));
      ++counts_.closed_for_room;
    }
    if (phase == Phase::kHandshake && limits_.max_tls_handshakes &&
        phases_[Index(Phase::kHandshake)].size() >= limits_.max_tls_handshakes) {
      for (Node* node : phases_[Index(Phase::kHandshake)]) {
        if (!node->closer) continue;
        to_close.push_back(RemoveLocked(*node));
        ++counts_.closed_for_room;
        break;
      }
    }
    auto node = std::make_unique<Node>();
    node->address_key = std::move(key);
    node->phase = phase;
    node->since = std::chrono::steady_clock::now();
    auto& list = phases_[Index(phase)];
    node->position = list.insert(list.end(), node.get());
    node->in_table = true;
    ++open_;
    ++per_address_[node->address_key];
    slot.reset(new Slot(*this, std::move(node)));
  }
  for (auto& close : to_close) {
    if (close) close();
  }
  return slot;
}

bool ConnectionTable::CloseLongestWaiting() {
  Closer close;
  {
    std::lock_guard lock(mu_);
    Node* victim = LongestWaitingLocked();
    if (!victim) return false;
    close = RemoveLocked(*victim);
    ++counts_.closed_for_room;
  }
  if (close) close();
  return true;
}

size_t ConnectionTable::CloseAllWaiting() {
  std::vector<Closer> closers;
  {
    std::lock_guard lock(mu_);
    while (Node* node = LongestWaitingLocked()) {
      if (Closer close = RemoveLocked(*node)) closers.push_back(std::move(close));
    }
  }
  for (Closer& close : closers) close();
  return closers.size();
}

ConnectionTable::Counts ConnectionTable::counts() const {
  std::lock_guard lock(mu_);
  Counts counts = counts_;
  counts.open = open_;
  return counts;
}

}  // namespace aih::http
