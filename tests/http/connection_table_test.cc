#include "http/connection_table.h"

#include <gtest/gtest.h>

#include <vector>

namespace aih::http {
namespace {

using Phase = ConnectionTable::Phase;

// Admits a connection whose closer records that it was closed.
std::unique_ptr<ConnectionTable::Slot> Open(ConnectionTable& table, const std::string& address, Phase phase,
                                            std::vector<std::string>& closed, const std::string& name) {
  auto slot = table.Admit(address, phase);
  if (slot) slot->SetCloser([&closed, name] { closed.push_back(name); });
  return slot;
}

TEST(ConnectionTableTest, TheExcessFromOneAddressIsRefusedWithoutAffectingOthers) {
  ConnectionTable table({0, 2, 0});
  std::vector<std::string> closed;
  auto a1 = Open(table, "10.0.0.1", Phase::kWaiting, closed, "a1");
  auto a2 = Open(table, "10.0.0.1", Phase::kWaiting, closed, "a2");
  EXPECT_EQ(Open(table, "10.0.0.1", Phase::kWaiting, closed, "a3"), nullptr);
  EXPECT_NE(Open(table, "10.0.0.2", Phase::kWaiting, closed, "b1"), nullptr);
  EXPECT_TRUE(closed.empty());
  a1.reset();  // one ends: its address may open another
  EXPECT_NE(Open(table, "10.0.0.1", Phase::kWaiting, closed, "a4"), nullptr);
  EXPECT_EQ(table.counts().refused, 1u);
}

TEST(ConnectionTableTest, IPv6IsCountedPerSlash64AndMappedIPv4AsIPv4) {
  EXPECT_EQ(ConnectionTable::AddressKey("2001:db8:1:2:aaaa::1"), ConnectionTable::AddressKey("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(ConnectionTable::AddressKey("2001:db8:1:2::1"), ConnectionTable::AddressKey("2001:db8:1:3::1"));
  EXPECT_EQ(ConnectionTable::AddressKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(ConnectionTable::AddressKey("192.0.2.7"), "192.0.2.7");
}

TEST(ConnectionTableTest, AtTheTotalLimitTheLongestWaitingMakesRoomAndBusyOnesNever) {
  ConnectionTable table({3, 0, 0});
  std::vector<std::string> closed;
  auto busy = Open(table, "10.0.0.1", Phase::kWaiting, closed, "busy");
  auto old = Open(table, "10.0.0.2", Phase::kWaiting, closed, "old");
  auto recent = Open(table, "10.0.0.3", Phase::kWaiting, closed, "recent");
  busy->SetPhase(Phase::kBusy);
  auto newcomer = Open(table, "10.0.0.4", Phase::kWaiting, closed, "new");
  ASSERT_NE(newcomer, nullptr);
  EXPECT_EQ(closed, std::vector<std::string>{"old"});
  recent->SetPhase(Phase::kBusy);
  newcomer->SetPhase(Phase::kBusy);
  // Every connection has a request in progress: the next is refused.
  EXPECT_EQ(Open(table, "10.0.0.5", Phase::kWaiting, closed, "refused"), nullptr);
  EXPECT_EQ(table.counts().open, 3u);
  EXPECT_EQ(table.counts().closed_for_room, 1u);
  old.reset();  // closed already: ending it changes nothing
  EXPECT_EQ(table.counts().open, 3u);
}

TEST(ConnectionTableTest, TlsHandshakesBeyondTheirLimitPushOutTheOldest) {
  ConnectionTable table({0, 0, 2});
  std::vector<std::string> closed;
  auto h1 = Open(table, "10.0.0.1", Phase::kHandshake, closed, "h1");
  auto h2 = Open(table, "10.0.0.1", Phase::kHandshake, closed, "h2");
  h1->SetPhase(Phase::kWaiting);  // done: no longer counts as a handshake
  auto h3 = Open(table, "10.0.0.1", Phase::kHandshake, closed, "h3");
  EXPECT_TRUE(closed.empty());
  auto h4 = Open(table, "10.0.0.1", Phase::kHandshake, closed, "h4");
  EXPECT_EQ(closed, std::vector<std::string>{"h2"});
  EXPECT_EQ(table.counts().open, 3u);
}

}  // namespace
}  // namespace aih::http
