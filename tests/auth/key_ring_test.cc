#include "auth/key_ring.h"

#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/in_memory_key_repository.h"
#include "auth/jwt.h"
#include "test_keys.h"
#include "unwrap.h"

namespace aih::auth {
namespace {

using testing::Unwrap;
using ::testing::HasSubstr;
using testing::TestKey;

constexpr int64_t kT0 = 1'768'473'000;
constexpr int64_t kRefresh = 300;
constexpr int64_t kSkew = 300;
constexpr int64_t kLifetime = 3600;
constexpr int64_t kPublishDelay = kRefresh + kSkew;
constexpr int64_t kRotation = 30 * 24 * 3600;

// Hands out the pre-generated test keys in order, as if each were freshly generated.
KeyRingOptions Options(int first_key = 0) {
  KeyRingOptions options;
  options.rotation_interval_seconds = kRotation;
  options.refresh_interval_seconds = kRefresh;
  options.max_token_lifetime_seconds = kLifetime;
  options.clock_skew_seconds = kSkew;
  options.new_key = [next = first_key]() mutable -> Result<SigningKey> {
    if (next >= testing::kTestKeyCount) return Status::Internal("the test ran out of pre-generated keys");
    return TestKey(next++);
  };
  return options;
}

std::unique_ptr<KeyRing> OpenRing(KeyRepository& repository, int64_t now, int first_key = 0) {
  Result<std::unique_ptr<KeyRing>> ring = KeyRing::Open(repository, Options(first_key), now);
  EXPECT_TRUE(ring.ok()) << ring.status().message();
  return ring.ok() ? std::move(*ring) : nullptr;
}

std::vector<std::string> Kids(const KeySet& keys) {
  std::vector<std::string> kids;
  for (const VerifyingKey& key : keys.keys()) kids.push_back(key.kid());
  return kids;
}

StoredKey Stored(const std::vector<StoredKey>& keys, const std::string& kid) {
  for (const StoredKey& key : keys) {
    if (key.kid == kid) return key;
  }
  ADD_FAILURE() << "no stored key " << kid;
  return {};
}

TEST(KeyRingTest, OpeningAnEmptyStoreCreatesTheFirstKey) {
  InMemoryKeyRepository repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(ring->ActiveKey(kT0).kid(), TestKey(0).kid());
  EXPECT_EQ(Kids(ring->TrustedKeys(kT0)), std::vector<std::string>{TestKey(0).kid()});
  std::vector<StoredKey> stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].kid, TestKey(0).kid());
  EXPECT_EQ(stored[0].private_pem, TestKey(0).PrivatePem());
  EXPECT_EQ(stored[0].created_at, kT0);
  EXPECT_EQ(stored[0].retire_after, 0);
}

TEST(KeyRingTest, ReopeningLoadsTheStoredKeysInsteadOfMakingNewOnes) {
  InMemoryKeyRepository repository;
  ASSERT_NE(OpenRing(repository, kT0), nullptr);
  auto reopened = OpenRing(repository, kT0 + 10, /*first_key=*/2);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->ActiveKey(kT0 + 10).kid(), TestKey(0).kid());
  EXPECT_EQ(repository.Load()->size(), 1u);
}

TEST(KeyRingTest, NewKeyIsPublishedBeforeItSignsAndTheOldOneVerifiesUntilRetired) {
  InMemoryKeyRepository repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  const int64_t rotated_at = kT0 + 1000;
  ASSERT_TRUE(ring->Rotate(rotated_at).ok());

  // Published at once, so that servers refreshing within the delay trust it before anyone signs with it.
  EXPECT_EQ(Kids(ring->TrustedKeys(rotated_at)), (std::vector<std::string>{TestKey(1).kid(), TestKey(0).kid()}));
  EXPECT_EQ(ring->ActiveKey(rotated_at).kid(), TestKey(0).kid());
  EXPECT_EQ(ring->ActiveKey(rotated_at + kPublishDelay - 1).kid(), TestKey(0).kid());
  EXPECT_EQ(ring->ActiveKey(rotated_at + kPublishDelay).kid(), TestKey(1).kid());

  // The last token the old key can sign lives until its retire time, which is exactly when the key goes.
  const int64_t last_signed = rotated_at + kPublishDelay - 1;
  Claims claims;
  claims.iss = "https://aihistory.test/t/v2.0";
  claims.aud = {"api://aihistory"};
  claims.iat = last_signed;
  claims.exp = last_signed + kLifetime;
  const std::string token = SignJwt(ring->ActiveKey(last_signed), claims);
  VerifyOptions options;
  options.issuers = {claims.iss};
  options.audiences = claims.aud;
  options.clock_skew_seconds = kSkew;

  const int64_t retire_after = rotated_at + kPublishDelay + kLifetime + 2 * kSkew;
  EXPECT_EQ(Stored(Unwrap(repository.Load()), TestKey(0).kid()).retire_after, retire_after);
  options.now = claims.exp + kSkew - 1;  // the last second a verifier accepts the token
  ASSERT_LT(*options.now, retire_after);
  Result<Claims> verified = VerifyJwt(token, ring->TrustedKeys(*options.now), options);
  EXPECT_TRUE(verified.ok()) << verified.status().message();

  options.now = retire_after - 1;
  EXPECT_NE(ring->TrustedKeys(retire_after - 1).Find(TestKey(0).kid()), nullptr);
  options.now = retire_after;
  EXPECT_EQ(Kids(ring->TrustedKeys(retire_after)), std::vector<std::string>{TestKey(1).kid()});
  options.clock_skew_seconds = 1'000'000;  // even a verifier that tolerates the expiry no longer has the key
  Result<Claims> refused = VerifyJwt(token, ring->TrustedKeys(retire_after), options);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.status().message(), HasSubstr("unknown key"));
}

TEST(KeyRingTest, RefreshRotatesWhenTheKeyIsOldAndDeletesRetiredKeys) {
  InMemoryKeyRepository repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->Refresh(kT0 + kRotation - 1).ok());
  EXPECT_EQ(repository.Load()->size(), 1u);

  const int64_t rotated_at = kT0 + kRotation;
  ASSERT_TRUE(ring->Refresh(rotated_at).ok());
  std::vector<StoredKey> stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(Stored(stored, TestKey(1).kid()).retire_after, 0);
  const int64_t retire_after = Stored(stored, TestKey(0).kid()).retire_after;
  EXPECT_GT(retire_after, rotated_at);

  ASSERT_TRUE(ring->Refresh(retire_after - 1).ok());
  EXPECT_EQ(repository.Load()->size(), 2u);
  ASSERT_TRUE(ring->Refresh(retire_after).ok());
  stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].kid, TestKey(1).kid());
}

TEST(KeyRingTest, ServersSharingTheStoreSeeEachOthersRotations) {
  InMemoryKeyRepository repository;
  auto first = OpenRing(repository, kT0, 0);
  ASSERT_NE(first, nullptr);
  auto second = OpenRing(repository, kT0 + 1, 2);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->ActiveKey(kT0 + 1).kid(), TestKey(0).kid());

  ASSERT_TRUE(first->Rotate(kT0 + 100).ok());
  EXPECT_EQ(second->TrustedKeys(kT0 + 100).Find(TestKey(1).kid()), nullptr);  // not refreshed yet
  ASSERT_TRUE(second->Refresh(kT0 + 100 + kRefresh).ok());
  EXPECT_NE(second->TrustedKeys(kT0 + 100 + kRefresh).Find(TestKey(1).kid()), nullptr);
  EXPECT_EQ(second->ActiveKey(kT0 + 100 + kPublishDelay).kid(), TestKey(1).kid());
  EXPECT_EQ(repository.Load()->size(), 2u);  // the second server made no key of its own
}

// Another server's rotation lands between our Reload and our Rotate.
class RacingRepository : public InMemoryKeyRepository {
 public:
  Status Rotate(const StoredKey& key, std::string_view previous_kid, int64_t previous_retire_after) override {
    if (!raced_ && !previous_kid.empty()) {
      raced_ = true;
      const SigningKey& theirs = TestKey(2);
      Status won = InMemoryKeyRepository::Rotate({theirs.kid(), theirs.PrivatePem(), key.created_at, 0},
                                                 previous_kid, previous_retire_after);
      if (!won.ok()) return won;
    }
    return InMemoryKeyRepository::Rotate(key, previous_kid, previous_retire_after);
  }

 private:
  bool raced_ = false;
};

TEST(KeyRingTest, ConcurrentRotationLeavesOneActiveKey) {
  RacingRepository repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->Rotate(kT0 + 100).ok());
  std::vector<StoredKey> stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 2u);  // ours was refused
  EXPECT_EQ(Stored(stored, TestKey(2).kid()).retire_after, 0);
  EXPECT_NE(Stored(stored, TestKey(0).kid()).retire_after, 0);
  EXPECT_EQ(ring->ActiveKey(kT0 + 100 + kPublishDelay).kid(), TestKey(2).kid());
}

class FailingRepository : public KeyRepository {
 public:
  Result<std::vector<StoredKey>> Load() override { return Status::Unavailable("the database is down"); }
  Status Rotate(const StoredKey&, std::string_view, int64_t) override { return Status::Unavailable("down"); }
  Status Delete(std::string_view) override { return Status::Unavailable("down"); }
};

TEST(KeyRingTest, OpenReportsAnUnavailableStore) {
  FailingRepository repository;
  Result<std::unique_ptr<KeyRing>> ring = KeyRing::Open(repository, Options(), kT0);
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().code(), Code::kUnavailable);
  EXPECT_EQ(ring.status().message(), "loading the signing keys: the database is down");
}

TEST(KeyRingTest, KeepsServingItsKeysWhenARefreshFails) {
  class FlakyRepository : public InMemoryKeyRepository {
   public:
    bool down = false;
    Result<std::vector<StoredKey>> Load() override {
      if (down) return Status::Unavailable("the database is down");
      return InMemoryKeyRepository::Load();
    }
  } repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  repository.down = true;
  EXPECT_EQ(ring->Refresh(kT0 + kRotation).code(), Code::kUnavailable);
  EXPECT_EQ(ring->ActiveKey(kT0 + kRotation).kid(), TestKey(0).kid());
  EXPECT_EQ(ring->TrustedKeys(kT0 + kRotation).size(), 1u);
}

TEST(KeyRingTest, DamagedStoredKeysAreReportedByKid) {
  {
    InMemoryKeyRepository repository;
    ASSERT_TRUE(repository.Rotate({"kid-1", "-----BEGIN PRIVATE KEY-----\nnope\n", kT0, 0}, "", 0).ok());
    Result<std::unique_ptr<KeyRing>> ring = KeyRing::Open(repository, Options(), kT0);
    ASSERT_FALSE(ring.ok());
    EXPECT_EQ(ring.status().code(), Code::kInternal);
    EXPECT_THAT(ring.status().message(), HasSubstr("the stored signing key 'kid-1' cannot be read"));
  }
  {
    InMemoryKeyRepository repository;
    ASSERT_TRUE(repository.Rotate({"kid-1", TestKey(0).PrivatePem(), kT0, 0}, "", 0).ok());
    Result<std::unique_ptr<KeyRing>> ring = KeyRing::Open(repository, Options(), kT0);
    ASSERT_FALSE(ring.ok());
    EXPECT_THAT(ring.status().message(),
                HasSubstr("the signing key stored as 'kid-1' is in fact key '" + TestKey(0).kid() + "'"));
  }
}

TEST(KeyRingTest, KeyGenerationFailureIsReported) {
  InMemoryKeyRepository repository;
  KeyRingOptions options = Options();
  options.new_key = []() -> Result<SigningKey> { return Status::Internal("no entropy"); };
  Result<std::unique_ptr<KeyRing>> ring = KeyRing::Open(repository, options, kT0);
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().message(), "creating a signing key: no entropy");
  EXPECT_TRUE(repository.Load()->empty());
}

TEST(KeyRingTest, RequestsSignAndVerifyWhileTheRingRotates) {
  InMemoryKeyRepository repository;
  auto ring = OpenRing(repository, kT0);
  ASSERT_NE(ring, nullptr);
  const int64_t now = kT0 + 10;
  Claims claims;
  claims.iss = "https://aihistory.test/t/v2.0";
  claims.aud = {"api://aihistory"};
  claims.exp = now + kLifetime;
  VerifyOptions options;
  options.issuers = {claims.iss};
  options.audiences = claims.aud;
  options.now = now;
  int verified = 0;
  std::thread request([&] {
    for (int i = 0; i < 200; ++i) {
      // Whatever rotation happens in between, the key that signs is one that verifies.
      const std::string token = SignJwt(ring->ActiveKey(now), claims);
      verified += VerifyJwt(token, ring->TrustedKeys(now), options).ok() ? 1 : 0;
    }
  });
  EXPECT_TRUE(ring->Rotate(now).ok());
  EXPECT_TRUE(ring->Rotate(now).ok());
  request.join();
  EXPECT_EQ(verified, 200);
  EXPECT_EQ(Unwrap(repository.Load()).size(), 3u);
}

// ----- the repository contract, on the in-memory implementation -----

TEST(InMemoryKeyRepositoryTest, RotateIsACompareAndSetOnTheActiveKey) {
  InMemoryKeyRepository repository;
  ASSERT_TRUE(repository.Rotate({"a", "pem-a", 1, 0}, "", 0).ok());
  EXPECT_EQ(repository.Rotate({"b", "pem-b", 2, 0}, "", 0).code(), Code::kConflict);
  EXPECT_EQ(repository.Rotate({"b", "pem-b", 2, 0}, "x", 0).code(), Code::kConflict);
  ASSERT_TRUE(repository.Rotate({"b", "pem-b", 2, 0}, "a", 50).ok());
  EXPECT_EQ(repository.Rotate({"c", "pem-c", 3, 0}, "a", 60).code(), Code::kConflict);
  std::vector<StoredKey> stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(Stored(stored, "a"), (StoredKey{"a", "pem-a", 1, 50}));
  EXPECT_EQ(Stored(stored, "b"), (StoredKey{"b", "pem-b", 2, 0}));
}

TEST(InMemoryKeyRepositoryTest, DeleteRemovesOnlyRetiredKeys) {
  InMemoryKeyRepository repository;
  ASSERT_TRUE(repository.Rotate({"a", "pem-a", 1, 0}, "", 0).ok());
  ASSERT_TRUE(repository.Rotate({"b", "pem-b", 2, 0}, "a", 50).ok());
  EXPECT_TRUE(repository.Delete("b").ok());
  EXPECT_TRUE(repository.Delete("a").ok());
  EXPECT_TRUE(repository.Delete("never-stored").ok());
  std::vector<StoredKey> stored = Unwrap(repository.Load());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].kid, "b");
}

}  // namespace
}  // namespace aih::auth
