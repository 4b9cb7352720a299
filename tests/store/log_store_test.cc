// The verifiable log (store/log_store.h), identical on every engine: every stored, updated and
// deleted version appends its leaf in the write's transaction; roots and proofs match an in-memory
// RFC 9162 tree of the same leaves; bad sizes are refused naming the problem.
#include <thread>

#include "integrity/log_leaf.h"
#include "integrity/merkle.h"
#include "store_fixture.h"

namespace aih::testing {
namespace {

using integrity::Hash;
using integrity::LeafKind;

const char* kTenant = "tenant-log";

model::Interaction MakeInteraction(const std::string& id, int64_t ms, const std::string& text = "hello") {
  model::Interaction in;
  in.id = id;
  in.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  in.interaction_type = model::InteractionType::kUserPrompt;
  in.created = model::Timestamp::FromUnixMillis(ms);
  in.body = model::Body{"text", text + " " + id};
  return in;
}

void Write(store::Store& s, std::vector<store::ItemToWrite> items) {
  std::vector<store::ItemOutcome> out;
  Status st = s.interactions().Write(items, &out);
  ASSERT_TRUE(st.ok()) << st.message();
}

std::vector<store::StoredLeaf> AllLeaves(store::Store& s, const std::string& tenant) {
  std::vector<store::StoredLeaf> leaves;
  Status st = s.log().ScanLeaves(tenant, 0, [&](const store::StoredLeaf& leaf) {
    leaves.push_back(leaf);
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return leaves;
}

TEST_P(StoreTest, EveryStoredUpdatedAndDeletedVersionAppendsItsLeaf) {
  Write(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1000)),
                  store::PrepareItem(kTenant, "u1", MakeInteraction("b", 2000))});
  Write(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1000))});  // unchanged: no leaf
  Write(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1000, "edited"))});
  Write(store(), {store::PrepareItem("other-tenant", "u9", MakeInteraction("z", 1000))});
  auto deleted = store().interactions().Delete(kTenant, "u1", std::string("b"));
  ASSERT_TRUE(deleted.ok());
  ASSERT_EQ(*deleted, 1);

  auto leaves = AllLeaves(store(), kTenant);
  ASSERT_EQ(leaves.size(), 4u);
  EXPECT_EQ(leaves[0].leaf.kind, LeafKind::kStored);
  EXPECT_EQ(leaves[0].leaf.interaction_id, "a");
  EXPECT_EQ(leaves[1].leaf.interaction_id, "b");
  EXPECT_EQ(leaves[2].leaf.kind, LeafKind::kUpdated);
  EXPECT_EQ(leaves[2].leaf.version, 2);
  EXPECT_EQ(leaves[2].leaf.etag, "a.2");
  EXPECT_EQ(leaves[3].leaf.kind, LeafKind::kDeleted);
  EXPECT_EQ(leaves[3].leaf.interaction_id, "b");
  // A leaf holds the hash of the JSON as stored, never the JSON.
  auto json = store().interactions().Get(kTenant, "u1", "a");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(leaves[2].leaf.content_sha256, integrity::Sha256(*json));
  EXPECT_EQ(leaves[3].leaf.content_sha256, leaves[1].leaf.content_sha256);  // the deleted version's
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(leaves[i].index, i);
    EXPECT_EQ(leaves[i].leaf.tenant_id, kTenant);
    EXPECT_EQ(leaves[i].hash, integrity::LeafHash(integrity::EncodeLeaf(leaves[i].leaf)));
  }
  EXPECT_EQ(*store().log().Size("other-tenant"), 1u);
  EXPECT_EQ(*store().log().Size("nobody"), 0u);
  auto found = store().log().FindLeaf(kTenant, "u1", "a", 2);
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->index, 2u);
  EXPECT_EQ(store().log().FindLeaf(kTenant, "u1", "a", 3).status().code(), Code::kNotFound);
  auto tenants = store().log().Tenants();
  ASSERT_TRUE(tenants.ok());
  EXPECT_EQ(*tenants, (std::vector<std::string>{"other-tenant", kTenant}));
}

TEST_P(StoreTest, RootsAndProofsMatchAnRfc9162TreeOfTheSameLeaves) {
  // Batches of uneven sizes, so that appends cross the stored levels' blocks of 16 and 256 anywhere.
  int next = 0;
  for (int batch : {1, 5, 16, 3, 31, 64, 1, 200, 17}) {
    std::vector<store::ItemToWrite> items;
    for (int i = 0; i < batch; ++i, ++next) {
      items.push_back(store::PrepareItem(kTenant, "u" + std::to_string(next % 3),
                                         MakeInteraction("i" + std::to_string(next), 1000 + next)));
    }
    Write(store(), std::move(items));
  }
  auto leaves = AllLeaves(store(), kTenant);
  ASSERT_EQ(leaves.size(), static_cast<size_t>(next));
  integrity::InMemoryTree expected;
  for (const auto& leaf : leaves) expected.Append(leaf.hash);
  const uint64_t n = leaves.size();
  for (uint64_t size : {uint64_t{1}, uint64_t{2}, uint64_t{15}, uint64_t{16}, uint64_t{17}, uint64_t{255},
                        uint64_t{256}, uint64_t{257}, n - 1, n}) {
    auto root = store().log().Root(kTenant, size);
    ASSERT_TRUE(root.ok()) << root.status().message();
    EXPECT_EQ(*root, *integrity::RootHash(expected, size)) << "size " << size;
    for (uint64_t index : {uint64_t{0}, size / 2, size - 1}) {
      auto proof = store().log().InclusionProof(kTenant, index, size);
      ASSERT_TRUE(proof.ok()) << proof.status().message();
      EXPECT_TRUE(integrity::VerifyInclusion(index, size, leaves[index].hash, *proof, *root))
          << "leaf " << index << " of " << size;
    }
    auto full_root = store().log().Root(kTenant, n);
    auto consistency = store().log().ConsistencyProof(kTenant, size, n);
    ASSERT_TRUE(consistency.ok()) << consistency.status().message();
    EXPECT_TRUE(integrity::VerifyConsistency(size, n, *root, *full_root, *consistency)) << size << " -> " << n;
  }
}

// Several servers (here two stores over one PostgreSQL database, two writer threads each) append to
// one tenant's log at once, while deleting too: the indices stay dense and every tree is consistent.
TEST_P(StoreTest, ServersAppendingAtOnceKeepOneDenseLog) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "one SQLite file has one writer";
  auto second = store::OpenStore(location_);
  ASSERT_TRUE(second.ok()) << second.status().message();
  constexpr int kThreads = 4, kBatches = 15, kBatch = 7;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      store::Store& s = t % 2 ? **second : store();
      for (int b = 0; b < kBatches; ++b) {
        std::vector<store::ItemToWrite> items;
        for (int i = 0; i < kBatch; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(b) + "-" + std::to_string(i);
          items.push_back(store::PrepareItem(kTenant, "u" + std::to_string(t), MakeInteraction(id, 1000 + i)));
          items.push_back(store::PrepareItem("tenant-2", "u" + std::to_string(t), MakeInteraction(id, 1000 + i)));
        }
        Write(s, std::move(items));
        auto gone = s.interactions().Delete(kTenant, "u" + std::to_string(t), std::to_string(t) + "-" + std::to_string(b) + "-0");
        EXPECT_TRUE(gone.ok() && *gone == 1);
      }
    });
  }
  for (auto& t : threads) t.join();
  auto leaves = AllLeaves(store(), kTenant);
  ASSERT_EQ(leaves.size(), static_cast<size_t>(kThreads * kBatches * (kBatch + 1)));
  integrity::InMemoryTree expected;
  for (size_t i = 0; i < leaves.size(); ++i) {
    ASSERT_EQ(leaves[i].index, i);
    expected.Append(leaves[i].hash);
  }
  EXPECT_EQ(*store().log().Root(kTenant, leaves.size()), *integrity::RootHash(expected, leaves.size()));
  EXPECT_EQ(*store().log().Size("tenant-2"), static_cast<uint64_t>(kThreads * kBatches * kBatch));
}

TEST_P(StoreTest, ProofsOutOfRangeAreRefusedNamingTheProblem) {
  Write(store(), {store::PrepareItem(kTenant, "u1", MakeInteraction("a", 1000)),
                  store::PrepareItem(kTenant, "u1", MakeInteraction("b", 2000))});
  auto too_big = store().log().Root(kTenant, 3);
  EXPECT_EQ(too_big.status().code(), Code::kBadRequest);
  EXPECT_NE(too_big.status().message().find("exceeds the log's size 2"), std::string::npos);
  auto index = store().log().InclusionProof(kTenant, 2, 2);
  EXPECT_EQ(index.status().code(), Code::kBadRequest);
  EXPECT_NE(index.status().message().find("leaf index 2"), std::string::npos);
  auto reversed = store().log().ConsistencyProof(kTenant, 2, 1);
  EXPECT_EQ(reversed.status().code(), Code::kBadRequest);
  EXPECT_NE(reversed.status().message().find("exceeds the second"), std::string::npos);
  EXPECT_EQ(store().log().ConsistencyProof(kTenant, 0, 2).status().code(), Code::kBadRequest);
  EXPECT_EQ(store().log().Leaf(kTenant, 7).status().code(), Code::kNotFound);
}

TEST_P(StoreTest, LogKeysRotateAsACompareAndSetAndCheckpointsAreKept) {
  store::LogKeyRow first{"k1", std::string(32, 'a'), 1000, 0};
  ASSERT_TRUE(store().log().RotateKey(first, "").ok());
  EXPECT_EQ(store().log().RotateKey({"k2", std::string(32, 'b'), 2000, 0}, "").code(), Code::kConflict);
  ASSERT_TRUE(store().log().RotateKey({"k2", std::string(32, 'b'), 2000, 0}, "k1").ok());
  auto keys = store().log().Keys();
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key, "k2");
  EXPECT_EQ((*keys)[0].retired_at, 0);
  EXPECT_EQ((*keys)[1].key, "k1");
  EXPECT_EQ((*keys)[1].retired_at, 2000);
  EXPECT_EQ((*keys)[1].seed, std::string(32, 'a'));

  EXPECT_FALSE(store().log().LatestCheckpoint(kTenant)->has_value());
  store::StoredCheckpoint cp{kTenant, 5, "k2", integrity::EmptyTreeHash(), "note 5\n", 10};
  ASSERT_TRUE(store().log().SaveCheckpoint(cp).ok());
  ASSERT_TRUE(store().log().SaveCheckpoint(cp).ok());  // again: kept once
  cp.size = 3;
  cp.note = "note 3\n";
  ASSERT_TRUE(store().log().SaveCheckpoint(cp).ok());
  auto latest = store().log().LatestCheckpoint(kTenant);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->size, 5u);
  EXPECT_EQ((*latest)->note, "note 5\n");
  EXPECT_EQ((*latest)->root, integrity::EmptyTreeHash());
}

}  // namespace
}  // namespace aih::testing
