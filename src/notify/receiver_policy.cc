#include "notify/receiver_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstring>

#include "notify/webhook_url.h"

namespace aih::notify {
namespace {

struct Range {
  const char* cidr;
  const char* kind;
};

// IPv4 ranges that are not public receivers, in their IPv4 form (prefix over 32 bits).
constexpr Range kV4[] = {
    {"0.0.0.0/8", "unspecified"},        {"10.0.0.0/8", "private"},
    {"100.64.0.0/10", "CGNAT (shared)"}, {"127.0.0.0/8", "loopback"},
    {"169.254.0.0/16", "link-local"},    {"172.16.0.0/12", "private"},
    {"192.0.0.0/24", "reserved"},        {"192.0.2.0/24", "reserved"},
    {"192.168.0.0/16", "private"},       {"198.18.0.0/15", "reserved"},
    {"198.51.100.0/24", "reserved"},     {"203.0.113.0/24", "reserved"},
    {"224.0.0.0/4", "multicast"},        {"240.0.0.0/4", "reserved or broadcast"},
};

// IPv6 ranges that are not public receivers, those embedding an IPv4 address aside.
constexpr Range kV6[] = {
    {"::/128", "unspecified"},   {"::1/128", "loopback"},      {"64:ff9b:1::/48", "private"},
    {"100::/64", "reserved"},    {"2001:db8::/32", "reserved"}, {"fc00::/7", "private (unique-local)"},
    {"fe80::/10", "link-local"}, {"fec0::/10", "private (site-local)"}, {"ff00::/8", "multicast"},
};

bool PrefixMatches(const uint8_t* a, const uint8_t* b, int bits) {
  int whole = bits / 8;
  if (std::memcmp(a, b, static_cast<size_t>(whole)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

// The parsed tables (built once; CIDRs above are known good).
struct Tables {
  std::vector<std::pair<IpNetwork, const char*>> v4, v6;
  Tables() {
    for (const Range& r : kV4) v4.emplace_back(*IpNetwork::Parse(r.cidr), r.kind);
    for (const Range& r : kV6) v6.emplace_back(*IpNetwork::Parse(r.cidr), r.kind);
  }
};
const Tables& TheTables() {
  static const Tables tables;
  return tables;
}

const char* V4Kind(const IpAddress& a) {
  for (const auto& [net, kind] : TheTables().v4) {
    if (net.Contains(a)) return kind;
  }
  return nullptr;
}

IpAddress Embedded(const uint8_t* four) {
  return IpAddress::V4(static_cast<uint32_t>(four[0]) << 24 | static_cast<uint32_t>(four[1]) << 16 |
                       static_cast<uint32_t>(four[2]) << 8 | four[3]);
}

}  // namespace

IpAddress IpAddress::V4(uint32_t host_order) {
  IpAddress a;
  a.bytes[10] = a.bytes[11] = 0xff;
  a.bytes[12] = static_cast<uint8_t>(host_order >> 24);
  a.bytes[13] = static_cast<uint8_t>(host_order >> 16);
  a.bytes[14] = static_cast<uint8_t>(host_order >> 8);
  a.bytes[15] = static_cast<uint8_t>(host_order);
  return a;
}

bool IpAddress::is_v4() const {
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(bytes.data(), kMapped, 12) == 0;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

std::optional<IpAddress> IpAddress::ParseNumericHost(std::string_view host) {
  const std::string text(host);
  in_addr v4{};
  // inet_aton, not inet_pton: it reads every legacy spelling (127.1, 0x7f000001, 0177.0.0.1,
  // 2130706433) exactly as the resolver will when it is handed the same host.
  if (inet_aton(text.c_str(), &v4) != 0) return V4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    IpAddress a;
    std::memcpy(a.bytes.data(), v6.s6_addr, 16);
    return a;
  }
  return std::nullopt;
}

Result<IpNetwork> IpNetwork::Parse(std::string_view cidr) {
  auto bad = [&] {
    return Status::BadRequest("'" + std::string(cidr.substr(0, 100)) +
                              "' is not an address range: give one in CIDR notation such as 10.0.0.0/8, "
                              "127.0.0.1/32 or fd00::/8");
  };
  const size_t slash = cidr.find('/');
  const std::string address_text(cidr.substr(0, slash));
  IpNetwork out;
  int max_bits = 128;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, address_text.c_str(), &v4) == 1) {  // strict dotted quad for configuration
    out.base = IpAddress::V4(ntohl(v4.s_addr));
    max_bits = 32;
  } else if (inet_pton(AF_INET6, address_text.c_str(), &v6) == 1) {
    std::memcpy(out.base.bytes.data(), v6.s6_addr, 16);
  } else {
    return bad();
  }
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view digits = cidr.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return bad();
    bits = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return bad();
      bits = bits * 10 + (c - '0');
    }
    if (bits > max_bits) return bad();
  }
  out.prefix_bits = max_bits == 32 ? 96 + bits : bits;
  return out;
}

bool IpNetwork::Contains(const IpAddress& address) const {
  return PrefixMatches(address.bytes.data(), base.bytes.data(), prefix_bits);
}

const char* NonPublicKind(const IpAddress& a) {
  if (a.is_v4()) return V4Kind(a);
  for (const auto& [net, kind] : TheTables().v6) {
    if (net.Contains(a)) return kind;
  }
  const uint8_t* b = a.bytes.data();
  static constexpr uint8_t kZero[12] = {};
  static constexpr uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  // IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks) and NAT64 (64:ff9b::/96)
  // reach the IPv4 address they carry: judge that one.
  if (std::memcmp(b, kZero, 12) == 0 || std::memcmp(b, kNat64, 12) == 0) return V4Kind(Embedded(b + 12));
  // 6to4 (2002:aabb:ccdd::/48) carries an IPv4 address in its second and third groups.
  if (b[0] == 0x20 && b[1] == 0x02) return V4Kind(Embedded(b + 2));
  return nullptr;
}

Status ReceiverPolicy::CheckAddress(const IpAddress& address) const {
  for (const IpNetwork& allowed : allowed_networks) {
    if (allowed.Contains(address)) return Status::Ok();
  }
  const char* kind = NonPublicKind(address);
  if (kind == nullptr) return Status::Ok();
  return Status::Forbidden("the receiver address " + address.ToString() + " is " + kind +
                           "; receivers must be public unless their range is allowed with "
                           "`serve --webhook-allow-network CIDR`");
}

Status ReceiverPolicy::CheckUrl(std::string_view url, std::string_view field) const {
  auto parsed = WebhookUrl::Parse(url, field);
  if (!parsed.ok()) return parsed.status();
  const std::string prefix = std::string(field) + " '" + std::string(url.substr(0, 200)) + "' ";
  if (!parsed->tls && !allow_http) {
    return Status::BadRequest(prefix + "uses plain http: receivers must use https (a server started with "
                                       "`serve --webhook-allow-http` accepts http too)");
  }
  std::string host = parsed->host;
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!host.empty() && host.back() == '.') host.pop_back();
  std::optional<IpAddress> address = IpAddress::ParseNumericHost(host);
  // localhost and its subdomains are loopback by definition (RFC 6761), whatever a resolver says.
  if (!address && (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost")))) {
    address = IpAddress::V4(0x7f000001);
  }
  if (!address) return Status::Ok();
  if (CheckAddress(*address).ok()) return Status::Ok();
  return Status::BadRequest(prefix + "points at " + address->ToString() + ", a " + NonPublicKind(*address) +
                            " address: receivers must be public (a server started with "
                            "`serve --webhook-allow-network CIDR` accepts receivers in that range)");
}

}  // namespace aih::notify
