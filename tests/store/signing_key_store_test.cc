// SigningKeyStore: the token issuer's keys, on every engine (store_fixture.h), each test on a fresh
// database. The contract is the KeyRing's (auth/key_repository.h): one active key, rotation as a
// compare-and-set on it, retired keys deleted, the active one never.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "store/signing_key_store.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using store::SigningKeyRow;

// The store keeps PEM text opaque, so any text serves as a key here.
SigningKeyRow Key(const std::string& kid, int64_t created_at) {
  return {kid, "-----BEGIN PRIVATE KEY-----\n" + kid + "\n-----END PRIVATE KEY-----\n", created_at, 0};
}

class SigningKeyStoreTest : public StoreTest {
 protected:
  store::SigningKeyStore& keys() { return store().signing_keys(); }

  std::vector<SigningKeyRow> Sorted() {
    auto rows = keys().List();
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    if (!rows.ok()) return {};
    std::sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) { return a.kid < b.kid; });
    return *rows;
  }
};

TEST_P(SigningKeyStoreTest, StartsEmptyAndStoresTheFirstKeyAsActive) {
  EXPECT_TRUE(Sorted().empty());
  ASSERT_TRUE(keys().Rotate(Key("k1", 100), "", 0).ok());
  EXPECT_EQ(Sorted(), std::vector<SigningKeyRow>{Key("k1", 100)});
}

TEST_P(SigningKeyStoreTest, RotationRetiresThePreviousKeyAndActivatesTheNewOne) {
  ASSERT_TRUE(keys().Rotate(Key("k1", 100), "", 0).ok());
  ASSERT_TRUE(keys().Rotate(Key("k2", 200), "k1", 5000).ok());
  SigningKeyRow retired = Key("k1", 100);
  retired.retire_after = 5000;
  EXPECT_EQ(Sorted(), (std::vector<SigningKeyRow>{retired, Key("k2", 200)}));
}

TEST_P(SigningKeyStoreTest, AStaleRotationIsAConflictAndChangesNothing) {
  ASSERT_TRUE(keys().Rotate(Key("k1", 100), "", 0).ok());
  ASSERT_TRUE(keys().Rotate(Key("k2", 200), "k1", 5000).ok());
  const auto before = Sorted();
  // Another server still believes k1 is active.
  EXPECT_EQ(keys().Rotate(Key("k3", 200), "k1", 5000).code(), Code::kConflict);
  // Or believes there is no key at all.
  EXPECT_EQ(keys().Rotate(Key("k3", 200), "", 0).code(), Code::kConflict);
  EXPECT_EQ(Sorted(), before);
}

TEST_P(SigningKeyStoreTest, AKidIsStoredOnce) {
  ASSERT_TRUE(keys().Rotate(Key("k1", 100), "", 0).ok());
  EXPECT_EQ(keys().Rotate(Key("k1", 200), "k1", 5000).code(), Code::kConflict);
  EXPECT_EQ(Sorted(), std::vector<SigningKeyRow>{Key("k1", 100)});
}

TEST_P(SigningKeyStoreTest, ANewKeyMustBeActive) {
  SigningKeyRow retired = Key("k1", 100);
  retired.retire_after = 9;
  EXPECT_EQ(keys().Rotate(retired, "", 0).code(), Code::kBadRequest);
  EXPECT_TRUE(Sorted().empty());
}

TEST_P(SigningKeyStoreTest, DeleteRemovesRetiredKeysOnly) {
  ASSERT_TRUE(keys().Rotate(Key("k1", 100), "", 0).ok());
  ASSERT_TRUE(keys().Rotate(Key("k2", 200), "k1", 5000).ok());
  EXPECT_TRUE(keys().Delete("k2").ok());  // active: kept
  EXPECT_TRUE(keys().Delete("k1").ok());
  EXPECT_TRUE(keys().Delete("k1").ok());      // already gone: another server purged it
  EXPECT_TRUE(keys().Delete("absent").ok());
  EXPECT_EQ(Sorted(), std::vector<SigningKeyRow>{Key("k2", 200)});
}

INSTANTIATE_TEST_SUITE_P(Engines, SigningKeyStoreTest, ::testing::ValuesIn(StoreEngines()),
                         [](const auto& info) { return info.param; });

// The SQLite file holds private keys: it is created readable by its owner only, and so are the WAL
// files SQLite derives from it.
TEST(SqliteFilePermissionsTest, TheDatabaseIsReadableByItsOwnerOnly) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "aih-perm-XXXXXX").string();
  const std::string dir = mkdtemp(tmpl.data());
  const mode_t old_mask = umask(022);  // a usual umask, which alone would leave the file world-readable
  {
    auto s = store::OpenStore(dir);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE((*s)->signing_keys().Rotate(Key("k1", 1), "", 0).ok());
    for (const char* file : {"/aihistory.db", "/aihistory.db-wal"}) {
      struct stat st {};
      ASSERT_EQ(::stat((dir + file).c_str(), &st), 0) << file;
      EXPECT_EQ(st.st_mode & 077, 0u) << file << " is readable by others";
    }
  }
  umask(old_mask);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace aih::testing
