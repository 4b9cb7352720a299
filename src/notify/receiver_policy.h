// ReceiverPolicy: which webhook receivers the server may call, so that a subscriber cannot use it to
// reach what stands behind it (server-side request forgery).
//
// By default only https receivers at public addresses: loopback, private (RFC 1918, fc00::/7),
// link-local (169.254/16 with the cloud metadata address, fe80::/10), CGNAT (100.64/10), multicast,
// unspecified, reserved and broadcast addresses are refused, as are the IPv4-mapped, IPv4-compatible
// and NAT64 forms of the IPv4 ones. `allowed_networks` (`serve --webhook-allow-network CIDR`) lets
// receivers in those ranges through, and `allow_http` (`serve --webhook-allow-http`) plain http.
//
// The address check is applied to the address actually connected to (webhook_client.cc, through
// http/client.h, resolves, checks, and connects to exactly the addresses it checked), for every
// handshake and every delivery, so that a name that resolves differently later (DNS rebinding) gets
// nowhere. Immutable; any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace aih::notify {

// An IPv4 or IPv6 address; IPv4 is held in its IPv4-mapped IPv6 form (::ffff:a.b.c.d).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};

  static IpAddress V4(uint32_t host_order);
  bool is_v4() const;  // IPv4-mapped
  std::string ToString() const;
  // The host of a URL when it is a numeric address in any spelling the system's resolver accepts:
  // dotted, shortened (127.1), decimal (2130706433), hex (0x7f000001), octal (0177.0.0.1), or IPv6.
  static std::optional<IpAddress> ParseNumericHost(std::string_view host);
};

// An address range in CIDR notation (10.0.0.0/8, fd00::/8; a bare address is one address).
struct IpNetwork {
  IpAddress base;
  int prefix_bits = 128;  // over the 128-bit form (an IPv4 /8 is 96 + 8)

  static Result<IpNetwork> Parse(std::string_view cidr);
  bool Contains(const IpAddress& address) const;
};

// What kind of non-public address `address` is ("loopback", "private", "link-local", ...), or null
// when it is a public unicast address.
const char* NonPublicKind(const IpAddress& address);

struct ReceiverPolicy {
  std::vector<IpNetwork> allowed_networks;  // non-public ranges receivers may be in anyway
  bool allow_http = false;                  // plain http receivers (otherwise https only)

  // Ok, or kForbidden saying what kind of address it is and how to allow it.
  Status CheckAddress(const IpAddress& address) const;
  // The checks that need no network, for a URL given by a subscriber (`field`: "notificationUrl"):
  // kBadRequest for a URL that does not parse (webhook_url.h), for plain http unless allowed, and for
  // a host that is a non-public numeric address (in any spelling) or a localhost name, unless allowed.
  // The other names are judged by what they resolve to, when called.
  Status CheckUrl(std::string_view url, std::string_view field) const;
};

}  // namespace aih::notify
