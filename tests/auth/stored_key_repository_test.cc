// StoredKeyRepository: KeyRings over one SQLite database behave as the servers of one deployment.
// Each "server" opens the database itself (its own connections and writer), as two processes would.
#include "auth/stored_key_repository.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "auth/jwt.h"
#include "auth/key_ring.h"
#include "auth/token_issuer.h"
#include "store/store.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using testing::TestKey;
using testing::Unwrap;

constexpr int64_t kT0 = 1'768'473'000;
constexpr int64_t kRefresh = 300;
constexpr int64_t kSkew = 300;
constexpr int64_t kLifetime = 3600;
constexpr int64_t kPublishDelay = kRefresh + kSkew;

KeyRingOptions Options(int first_key) {
  KeyRingOptions options;
  options.refresh_interval_seconds = kRefresh;
  options.clock_skew_seconds = kSkew;
  options.max_token_lifetime_seconds = kLifetime;
  options.new_key = [next = first_key]() mutable -> Result<SigningKey> {
    if (next >= testing::kTestKeyCount) return Status::Internal("the test ran out of pre-generated keys");
    return TestKey(next++);
  };
  return options;
}

// One server: its own store handle on the shared database, and its KeyRing.
struct Server {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<StoredKeyRepository> repository;
  std::unique_ptr<KeyRing> ring;
};

class StoredKeyRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "aih-keys-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // `first_key` is the test key this server would make if it had to make one.
  Server Start(int64_t now, int first_key) {
    Server server;
    auto store = store::OpenStore(dir_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    if (!store.ok()) return server;
    server.store = std::move(*store);
    server.repository = std::make_unique<StoredKeyRepository>(server.store->signing_keys());
    server.ring = Unwrap(KeyRing::Open(*server.repository, Options(first_key), now));
    return server;
  }

  static Claims ClaimsAt(int64_t now) {
    Claims c;
    c.iss = IssuerFor("https://history.test", "t");
    c.aud = {"https://graph.microsoft.com"};
    c.tid = "t";
    c.appid = "app";
    c.iat = c.nbf = now;
    c.exp = now + kLifetime;
    return c;
  }

  // Whether `token` verifies on `server` at `now`, as its authenticator would check it.
  static bool Verifies(const Server& server, const std::string& token, int64_t now) {
    VerifyOptions options;
    options.issuers = {IssuerFor("https://history.test", "{tenantid}")};
    options.audiences = {"https://graph.microsoft.com"};
    options.clock_skew_seconds = kSkew;
    options.now = now;
    return VerifyJwt(token, server.ring->TrustedKeys(now), options).ok();
  }

  std::string dir_;
};

TEST_F(StoredKeyRepositoryTest, TwoServersShareOneKey) {
  Server a = Start(kT0, /*first_key=*/0);
  Server b = Start(kT0 + 1, /*first_key=*/1);  // finds A's key: makes none
  ASSERT_TRUE(a.ring && b.ring);
  EXPECT_EQ(a.ring->ActiveKey(kT0 + 1).kid(), TestKey(0).kid());
  EXPECT_EQ(b.ring->ActiveKey(kT0 + 1).kid(), TestKey(0).kid());
  const std::string from_a = SignJwt(a.ring->ActiveKey(kT0 + 1), ClaimsAt(kT0 + 1));
  const std::string from_b = SignJwt(b.ring->ActiveKey(kT0 + 1), ClaimsAt(kT0 + 1));
  EXPECT_TRUE(Verifies(b, from_a, kT0 + 2));
  EXPECT_TRUE(Verifies(a, from_b, kT0 + 2));
  EXPECT_EQ(Unwrap(a.store->signing_keys().List()).size(), 1u);
}

TEST_F(StoredKeyRepositoryTest, KeysSurviveARestart) {
  std::string token;
  {
    Server a = Start(kT0, 0);
    ASSERT_TRUE(a.ring);
    token = SignJwt(a.ring->ActiveKey(kT0), ClaimsAt(kT0));
  }
  Server restarted = Start(kT0 + 60, /*first_key=*/2);
  ASSERT_TRUE(restarted.ring);
  EXPECT_EQ(restarted.ring->ActiveKey(kT0 + 60).kid(), TestKey(0).kid());
  EXPECT_TRUE(Verifies(restarted, token, kT0 + 60));
}

TEST_F(StoredKeyRepositoryTest, ARotationOnOneServerReachesTheOtherAndTheOldKeyVerifiesUntilItRetires) {
  Server a = Start(kT0, 0);
  Server b = Start(kT0, 2);
  ASSERT_TRUE(a.ring && b.ring);
  const int64_t t1 = kT0 + 10 * kRefresh;
  const std::string old_token = SignJwt(a.ring->ActiveKey(t1), ClaimsAt(t1));
  ASSERT_TRUE(a.ring->Rotate(t1).ok());  // A makes TestKey(1)

  // B learns of the new key at its next refresh, before anyone signs with it.
  EXPECT_EQ(b.ring->TrustedKeys(t1).Find(TestKey(1).kid()), nullptr);
  ASSERT_TRUE(b.ring->Refresh(t1 + kRefresh).ok());
  EXPECT_NE(b.ring->TrustedKeys(t1 + kRefresh).Find(TestKey(1).kid()), nullptr);
  EXPECT_EQ(a.ring->ActiveKey(t1 + kRefresh).kid(), TestKey(0).kid());  // not yet published long enough

  // After the publish delay both sign with the new key, and each verifies the other's tokens.
  const int64_t t2 = t1 + kPublishDelay;
  EXPECT_EQ(a.ring->ActiveKey(t2).kid(), TestKey(1).kid());
  EXPECT_EQ(b.ring->ActiveKey(t2).kid(), TestKey(1).kid());
  EXPECT_TRUE(Verifies(a, SignJwt(b.ring->ActiveKey(t2), ClaimsAt(t2)), t2));
  EXPECT_TRUE(Verifies(b, old_token, t2));  // the old key still verifies what it signed

  // Once every token the old key can have signed has expired, a refresh deletes it everywhere.
  const int64_t retired = t1 + kPublishDelay + kLifetime + 2 * kSkew;
  ASSERT_TRUE(b.ring->Refresh(retired).ok());
  ASSERT_TRUE(a.ring->Refresh(retired).ok());
  EXPECT_EQ(a.ring->TrustedKeys(retired).Find(TestKey(0).kid()), nullptr);
  EXPECT_FALSE(Verifies(a, old_token, retired));
  auto stored = Unwrap(a.store->signing_keys().List());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].kid, TestKey(1).kid());
}

TEST_F(StoredKeyRepositoryTest, ServersRotatingAtOnceLeaveOneActiveKey) {
  Server a = Start(kT0, 0);
  Server b = Start(kT0, 2);
  ASSERT_TRUE(a.ring && b.ring);
  // B rotates from what it loaded at startup, after A already rotated: the store refuses B's key.
  ASSERT_TRUE(a.repository->Rotate({TestKey(1).kid(), TestKey(1).PrivatePem(), kT0 + 5, 0}, TestKey(0).kid(), kT0 + 9000).ok());
  EXPECT_EQ(b.repository->Rotate({TestKey(2).kid(), TestKey(2).PrivatePem(), kT0 + 5, 0}, TestKey(0).kid(), kT0 + 9000).code(),
            Code::kConflict);
  // KeyRing::Rotate copes with the race: its reload sees A's key, and it keeps one active key.
  ASSERT_TRUE(b.ring->Refresh(kT0 + 6).ok());
  int active = 0;
  for (const StoredKey& key : Unwrap(b.repository->Load())) active += key.retire_after == 0;
  EXPECT_EQ(active, 1);
  EXPECT_NE(b.ring->TrustedKeys(kT0 + 6).Find(TestKey(1).kid()), nullptr);
}

}  // namespace
}  // namespace aih::auth
