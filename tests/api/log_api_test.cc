// The verifiable log through the admin API (api/log_resource.h) and `aihistory verify`'s checks
// (api/log_audit.h): signed checkpoints, keys, proofs that verify offline, bad input named, one
// tenant's log never another's; tampering with rows directly in the database is named item by item;
// a forked history fails the consistency proof; an erased item leaves a log that still verifies.
#include <cstring>
#include <fstream>
#include <sstream>

#include "api/export_manifest.h"
#include "api/log_audit.h"
#include "api/log_checkpoints.h"
#include "base/base64.h"
#include "directory_fixture.h"
#include "integrity/checkpoint.h"
#include "integrity/log_leaf.h"
#include "integrity/signed_note.h"
#include "model/interaction_writer.h"
#include "policy/retention_sweep.h"
#include "store/postgres/connection.h"
#include "store/sqlite/connection.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

integrity::Hash HashOf(const std::string& base64) {
  auto bytes = Base64Decode(base64);
  EXPECT_TRUE(bytes.ok() && bytes->size() == 32) << base64;
  integrity::Hash h{};
  if (bytes.ok() && bytes->size() == 32) std::memcpy(h.data(), bytes->data(), 32);
  return h;
}

class LogApiTest : public DirectoryApiTest {
 protected:
  std::string Log(const std::string& rest, const char* tenant = kTenantA) {
    return std::string("/admin/tenants/") + tenant + "/log" + rest;
  }
  // Writes interactions `from`..`to` - 1 of the licensed user.
  void WriteItems(int from, int to) {
    std::string body = "[";
    for (int i = from; i < to; ++i) body += (i > from ? "," : "") + Item(licensed_.id, kFirstParty, "item-" + std::to_string(i));
    auto r = Write(body + "]");
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Runs `sql` directly on the store's database, as someone going around aihistory would.
  void Tamper(const std::string& sql) {
    if (IsPostgresLocation(location_)) {
      auto c = store::postgres::Connection::Open(location_);
      ASSERT_TRUE(c.ok()) << c.status().message();
      ASSERT_TRUE((*c)->Exec(sql).ok()) << sql;
    } else {
      auto c = store::sqlite::Connection::Open(location_ + "/aihistory.db", /*read_only=*/false);
      ASSERT_TRUE(c.ok()) << c.status().message();
      Status s = (*c)->Exec(sql);
      ASSERT_TRUE(s.ok()) << sql << ": " << s.message();
    }
  }
  std::vector<std::string> Problems() {
    auto report = api::AuditLog(*store_, kTenantA);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? report->problems : std::vector<std::string>{"audit failed"};
  }
  static std::string Joined(const std::vector<std::string>& problems) {
    std::string out;
    for (const auto& p : problems) out += p + "\n";
    return out;
  }
};

TEST_P(LogApiTest, ACheckpointIsSignedByTheListedKeyAndProofsVerifyAgainstIt) {
  WriteItems(0, 20);
  auto published = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(JsonAt(published.body, "treeSize"), "20");
  EXPECT_EQ(JsonAt(published.body, "origin"), std::string("aihistory/") + kTenantA);
  auto latest = Admin("GET", Log("/checkpoint"));
  ASSERT_EQ(latest.status, 200);
  EXPECT_EQ(JsonAt(latest.body, "checkpoint"), JsonAt(published.body, "checkpoint"));

  auto keys = Admin("GET", "/admin/log/keys");
  ASSERT_EQ(keys.status, 200) << keys.body;
  ASSERT_EQ(JsonArraySize(keys.body, "value"), 1u);
  EXPECT_EQ(JsonAt(keys.body, "value.0.active"), "true");
  auto verifier = integrity::NoteVerifier::Parse(JsonAt(keys.body, "value.0.verifierKey"));
  ASSERT_TRUE(verifier.ok()) << verifier.status().message();
  auto text = verifier->Open(JsonAt(latest.body, "checkpoint"));
  ASSERT_TRUE(text.ok()) << text.status().message();
  auto checkpoint = integrity::ParseCheckpoint(*text);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(checkpoint->size, 20u);

  // An inclusion proof of an interaction's version, against the checkpoint's size by default.
  WriteItems(20, 25);
  auto inclusion = Admin("GET", Log("/inclusion?userId=" + licensed_.id + "&interactionId=item-7&version=1"));
  ASSERT_EQ(inclusion.status, 200) << inclusion.body;
  EXPECT_EQ(JsonAt(inclusion.body, "treeSize"), "20");
  auto leaf = integrity::ParseLeaf(JsonAt(inclusion.body, "leaf"));
  ASSERT_TRUE(leaf.ok()) << leaf.status().message();
  EXPECT_EQ(leaf->interaction_id, "item-7");
  auto stored = store_->interactions().Get(kTenantA, licensed_.id, "item-7");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(leaf->content_sha256, integrity::Sha256(*stored)) << "the leaf vouches for the stored JSON";
  auto proof = api::ParseProofJson(inclusion.body);
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  const uint64_t index = std::stoull(JsonAt(inclusion.body, "leafIndex"));
  EXPECT_TRUE(integrity::VerifyInclusion(index, 20, integrity::LeafHash(JsonAt(inclusion.body, "leaf")), *proof,
                                         checkpoint->root));
  // By index and against an explicit size too.
  auto by_index = Admin("GET", Log("/inclusion?leafIndex=22&treeSize=25"));
  ASSERT_EQ(by_index.status, 200) << by_index.body;
  EXPECT_TRUE(integrity::VerifyInclusion(22, 25, HashOf(JsonAt(by_index.body, "leafHash")),
                                         *api::ParseProofJson(by_index.body), HashOf(JsonAt(by_index.body, "rootHash"))));

  // A consistency proof from the checkpoint to the log now, and a second checkpoint that extends it.
  auto second = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(JsonAt(second.body, "treeSize"), "25");
  auto consistency = Admin("GET", Log("/consistency?first=20&second=25"));
  ASSERT_EQ(consistency.status, 200) << consistency.body;
  EXPECT_TRUE(api::VerifyCheckpointConsistency(JsonAt(keys.body, "value.0.verifierKey"), JsonAt(latest.body, "checkpoint"),
                                               JsonAt(second.body, "checkpoint"), *api::ParseProofJson(consistency.body))
                  .ok());
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
}

TEST_P(LogApiTest, BadProofRequestsAreRefusedNamingTheProblem) {
  WriteItems(0, 3);
  struct Case {
    std::string target;
    int status;
    const char* says;
  } bad[] = {
      {Log("/inclusion?leafIndex=1&treeSize=4"), 400, "exceeds the log's size 3"},
      {Log("/inclusion?leafIndex=3&treeSize=3"), 404, "no leaf 3"},
      {Log("/inclusion?leafIndex=2&treeSize=2"), 400, "is not below the tree size 2"},
      {Log("/inclusion?leafIndex=x"), 400, "leafIndex must be a whole number"},
      {Log("/inclusion"), 400, "name the leaf"},
      {Log("/inclusion?userId=" + licensed_.id + "&interactionId=nope&version=1"), 404, "no version 1 of interaction 'nope'"},
      {Log("/inclusion?userId=" + licensed_.id + "&interactionId=item-1&version=2"), 404, "no version 2"},
      {Log("/consistency?first=3&second=2"), 400, "exceeds the second"},
      {Log("/consistency?first=1&second=9"), 400, "exceeds the log's size 3"},
      {Log("/consistency?first=0&second=2"), 400, "at least 1"},
      {Log("/consistency?first=1"), 400, "both tree sizes"},
      {"/admin/tenants/not-a-guid/log/checkpoint", 400, "GUID"},
      {"/admin/tenants/cccccccc-0000-4000-8000-000000000000/log/checkpoint", 404, "tenant"},
      {Log("/checkpoint"), 404, "no checkpoint yet"},
  };
  for (const Case& c : bad) {
    auto r = Admin("GET", c.target);
    EXPECT_EQ(r.status, c.status) << c.target << ": " << r.body;
    EXPECT_NE(JsonAt(r.body, "error.message").find(c.says), std::string::npos) << c.target << ": " << r.body;
  }
}

TEST_P(LogApiTest, ATenantsLogHoldsItsOwnInteractionsOnly) {
  WriteItems(0, 4);
  ASSERT_EQ(Admin("POST", Log("/checkpoint", kTenantB)).status, 200);
  auto b = Admin("GET", Log("/checkpoint", kTenantB));
  EXPECT_EQ(JsonAt(b.body, "treeSize"), "0");
  EXPECT_EQ(Admin("GET", Log("/inclusion?leafIndex=0", kTenantB)).status, 404);
  EXPECT_EQ(Admin("GET", Log("/inclusion?userId=" + licensed_.id + "&interactionId=item-1&version=1", kTenantB)).status, 404);
  EXPECT_EQ(Admin("GET", Log("/inclusion?leafIndex=3")).status, 200);
}

TEST_P(LogApiTest, ARotatedKeySignsNewCheckpointsAndTheOldOneStaysListed) {
  WriteItems(0, 2);
  auto first = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(first.status, 200);
  auto rotated = Admin("POST", "/admin/log/keys");
  ASSERT_EQ(rotated.status, 201) << rotated.body;
  const std::string new_key = JsonAt(rotated.body, "verifierKey");
  EXPECT_NE(new_key, JsonAt(first.body, "verifierKey"));
  auto keys = Admin("GET", "/admin/log/keys");
  ASSERT_EQ(JsonArraySize(keys.body, "value"), 2u);
  EXPECT_EQ(JsonAt(keys.body, "value.0.verifierKey"), new_key);
  EXPECT_EQ(JsonAt(keys.body, "value.1.active"), "false");
  EXPECT_NE(JsonAt(keys.body, "value.1.retiredDateTime"), "<null>");
  // Same size, new key: a new checkpoint, which the new key opens and the old does not.
  auto second = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(JsonAt(second.body, "verifierKey"), new_key);
  EXPECT_TRUE(integrity::NoteVerifier::Parse(new_key)->Open(JsonAt(second.body, "checkpoint")).ok());
  EXPECT_FALSE(integrity::NoteVerifier::Parse(JsonAt(first.body, "verifierKey"))->Open(JsonAt(second.body, "checkpoint")).ok());
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
}

TEST_P(LogApiTest, VerifyNamesEachRowAlteredRemovedOrAddedInTheDatabase) {
  WriteItems(0, 6);
  ASSERT_EQ(Admin("POST", Log("/checkpoint")).status, 200);
  ASSERT_TRUE(Problems().empty()) << Joined(Problems());
  const std::string t = std::string("'") + kTenantA + "'";
  // One byte of item-1's JSON changed.
  Tamper("UPDATE interactions SET json = replace(json, 'item-1', 'item-X') WHERE tenant_id = " + t + " AND id = 'item-1'");
  // item-2 deleted, and a row no write made inserted (a copy of item-3 under another id).
  Tamper("DELETE FROM interactions WHERE tenant_id = " + t + " AND id = 'item-2'");
  Tamper("INSERT INTO interactions (tenant_id, user_id, id, created_ticks, app_class, interaction_type, conversation_type,"
         " locale, session_id, request_id, content_hash, version, json) SELECT tenant_id, user_id, 'forged',"
         " created_ticks, app_class, interaction_type, conversation_type, locale, session_id, request_id, content_hash,"
         " version, json FROM interactions WHERE tenant_id = " + t + " AND id = 'item-3'");
  // item-4's version moved on without a write.
  Tamper("UPDATE interactions SET version = 2 WHERE tenant_id = " + t + " AND id = 'item-4'");
  const auto problems = Problems();
  const std::string all = Joined(problems);
  ASSERT_EQ(problems.size(), 4u) << all;
  EXPECT_NE(all.find("interaction 'item-1' of user " + licensed_.id + " was altered outside aihistory: its stored JSON's SHA-256"), std::string::npos) << all;
  EXPECT_NE(all.find("interaction 'item-2' of user " + licensed_.id + " was removed outside aihistory"), std::string::npos) << all;
  EXPECT_NE(all.find("interaction 'forged' of user " + licensed_.id + " was added outside aihistory"), std::string::npos) << all;
  EXPECT_NE(all.find("interaction 'item-4' of user " + licensed_.id + " was altered outside aihistory: it is at version 2"), std::string::npos) << all;
}

TEST_P(LogApiTest, VerifyNamesALogRewrittenOrCutInTheDatabase) {
  WriteItems(0, 5);
  ASSERT_EQ(Admin("POST", Log("/checkpoint")).status, 200);
  const std::string t = std::string("'") + kTenantA + "'";
  // Two leaves swapped: each is a well-formed leaf, but the tree is not the one the checkpoint signed.
  const std::string key = "(SELECT tenant_key FROM log_tenants WHERE tenant_id = " + t + ")";
  Tamper("UPDATE log_leaves SET leaf_index = -1 WHERE tenant_key = " + key + " AND leaf_index = 1");
  Tamper("UPDATE log_leaves SET leaf_index = 1 WHERE tenant_key = " + key + " AND leaf_index = 2");
  Tamper("UPDATE log_leaves SET leaf_index = 2 WHERE tenant_key = " + key + " AND leaf_index = -1");
  std::string all = Joined(Problems());
  EXPECT_NE(all.find("do not give the root its signed checkpoint holds"), std::string::npos) << all;
  // The last leaf removed: fewer leaves than the checkpoint signs, and its item unaccounted for.
  Tamper("DELETE FROM log_leaves WHERE tenant_key = " + key + " AND leaf_index = 4");
  all = Joined(Problems());
  EXPECT_NE(all.find("fewer than the 5 its checkpoint signs"), std::string::npos) << all;
  EXPECT_NE(all.find("interaction 'item-4' of user " + licensed_.id + " was added outside aihistory: no leaf"), std::string::npos) << all;
}

TEST_P(LogApiTest, AnErasedItemLeavesALogThatStillVerifiesWithoutItsContent) {
  WriteItems(0, 3);
  ASSERT_EQ(Admin("POST", Log("/checkpoint")).status, 200);
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + std::string(kTenantA) + "/users/" + licensed_.id + "/interactions/item-1").status, 200);
  ASSERT_EQ(Admin("POST", Log("/checkpoint")).status, 200);
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  EXPECT_EQ(store_->interactions().Get(kTenantA, licensed_.id, "item-1").status().code(), Code::kNotFound);
  auto deletion = store_->log().Leaf(kTenantA, 3);
  ASSERT_TRUE(deletion.ok());
  EXPECT_EQ(deletion->leaf.kind, integrity::LeafKind::kDeleted);
  EXPECT_EQ(integrity::EncodeLeaf(deletion->leaf).find("hello"), std::string::npos);
  // The erased version's inclusion proof still verifies: the log proves it existed, not what it said.
  auto inclusion = Admin("GET", Log("/inclusion?userId=" + licensed_.id + "&interactionId=item-1&version=1"));
  ASSERT_EQ(inclusion.status, 200) << inclusion.body;
}

// Erasure (the admin route) and retention (the sweep, seven years later on the clock seam) both
// delete through the one deletion path: the log gets a `deleted` leaf for each, the store still
// verifies against it, the later checkpoint extends the earlier one, and the content is gone, from
// the rows, the search index and the log's leaves alike.
TEST_P(LogApiTest, ErasureAndRetentionDeletionKeepTheLogVerifiedAndTheContentGone) {
  std::string body = "[";
  for (int i = 0; i < 6; ++i) {
    body += (i ? "," : "") + Item(licensed_.id, kFirstParty, "kept-" + std::to_string(i),
                                 ",\"body\":{\"contentType\":\"text\",\"content\":\"zanzibar secret " +
                                     std::to_string(i) + "\"}");
  }
  ASSERT_EQ(Write(body + "]").status, 200);
  auto first = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(first.status, 200) << first.body;

  auto erased = Admin("POST", "/admin/tenants/" + std::string(kTenantA) + "/erasures",
                      "{\"user\":\"" + licensed_.id + "\",\"interactionId\":\"kept-0\"}");
  ASSERT_LT(erased.status, 300) << erased.body;
  EXPECT_TRUE(Problems().empty()) << Joined(Problems());

  store::RetentionPolicy policy;
  policy.tenant_id = kTenantA;
  policy.id = "delete-1y";
  policy.display_name = "delete after a year";
  policy.action = store::RetentionPolicy::Action::kDelete;
  policy.period_days = 365;
  ASSERT_TRUE(store_->retention().CreatePolicy(policy).ok());
  ManualClock clock(1'767'225'600'000 + int64_t{7} * 366 * 86'400'000);  // 2026 + 7 years
  policy::RetentionSweep sweep(*store_, clock, {"server-a", 100, 60'000});
  auto swept = sweep.RunOnce();
  ASSERT_TRUE(swept.ok()) << swept.status().message();
  EXPECT_EQ(swept->deleted, 5);

  EXPECT_TRUE(Problems().empty()) << Joined(Problems());
  auto second = Admin("POST", Log("/checkpoint"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(JsonAt(second.body, "treeSize"), "12") << "6 stored, 1 erased, 5 deleted by retention";
  auto consistency = Admin("GET", Log("/consistency?first=" + JsonAt(first.body, "treeSize") + "&second=12"));
  ASSERT_EQ(consistency.status, 200) << consistency.body;
  std::vector<integrity::Hash> proof;
  for (size_t i = 0; i < JsonArraySize(consistency.body, "proof"); ++i) {
    proof.push_back(HashOf(JsonAt(consistency.body, "proof." + std::to_string(i))));
  }
  EXPECT_TRUE(integrity::VerifyConsistency(std::stoull(JsonAt(first.body, "treeSize")), 12,
                                           HashOf(JsonAt(first.body, "rootHash")),
                                           HashOf(JsonAt(second.body, "rootHash")), proof));

  // The content is gone: no row, no search hit, no leaf that holds it.
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(store_->interactions().Get(kTenantA, licensed_.id, "kept-" + std::to_string(i)).status().code(),
              Code::kNotFound);
  }
  store::PageQuery search;
  search.tenant_id = kTenantA;
  auto parsed = odata::Search::Parse("zanzibar");
  ASSERT_TRUE(parsed.ok());
  search.search = &*parsed;
  EXPECT_EQ(*store_->interactions().Count(search), 0);
  int deleted_leaves = 0;
  ASSERT_TRUE(store_->log()
                  .ScanLeaves(kTenantA, 0,
                              [&](const store::StoredLeaf& leaf) {
                                EXPECT_EQ(integrity::EncodeLeaf(leaf.leaf).find("zanzibar"), std::string::npos);
                                deleted_leaves += leaf.leaf.kind == integrity::LeafKind::kDeleted;
                                return true;
                              })
                  .ok());
  EXPECT_EQ(deleted_leaves, 6);
}

// A history rewritten and signed with the same key (a second store given the first one's key): its
// checkpoint does not extend the first one's, and the consistency proof says so.
TEST_P(LogApiTest, AForkedHistorySignedWithTheSameKeyFailsTheConsistencyProof) {
  WriteItems(0, 4);
  ManualClock clock(1'800'000'000'000);
  api::LogCheckpoints here(*store_, clock);
  auto honest = here.Publish(kTenantA);
  ASSERT_TRUE(honest.ok()) << honest.status().message();
  auto keys = store_->log().Keys();
  ASSERT_TRUE(keys.ok());

  std::string fork_location;
  auto fork = OpenFreshStore(GetParam(), &fork_location, "aih-fork");
  ASSERT_NE(fork, nullptr);
  ASSERT_TRUE(fork->log().RotateKey(keys->front(), "").ok());
  std::vector<store::ItemToWrite> items;
  for (int i = 0; i < 6; ++i) {  // the same ids, one of them with other content
    model::Interaction in;
    in.id = "item-" + std::to_string(i);
    in.app_class = kFirstParty;
    in.interaction_type = model::InteractionType::kUserPrompt;
    in.created = model::Timestamp::FromUnixMillis(1000);
    if (i == 2) in.body = model::Body{"text", "rewritten"};
    items.push_back(store::PrepareItem(kTenantA, licensed_.id, in));
  }
  std::vector<store::ItemOutcome> outcomes;
  ASSERT_TRUE(fork->interactions().Write(items, &outcomes).ok());
  api::LogCheckpoints there(*fork, clock);
  auto forged = there.Publish(kTenantA);
  ASSERT_TRUE(forged.ok()) << forged.status().message();
  auto proof = fork->log().ConsistencyProof(kTenantA, honest->size, forged->size);
  ASSERT_TRUE(proof.ok());
  Status s = api::VerifyCheckpointConsistency(keys->front().key, honest->note, forged->note, *proof);
  EXPECT_EQ(s.code(), Code::kBadRequest);
  EXPECT_NE(s.message().find("does not extend the older one"), std::string::npos) << s.message();
  // While the honest log's own growth verifies.
  WriteItems(4, 6);
  auto grown = here.Publish(kTenantA);
  ASSERT_TRUE(grown.ok());
  EXPECT_TRUE(api::VerifyCheckpointConsistency(keys->front().key, honest->note, grown->note,
                                               *store_->log().ConsistencyProof(kTenantA, honest->size, grown->size))
                  .ok());
  fork.reset();
  RemoveStoreLocation(fork_location);
}

// An export with its manifest verifies offline; a byte changed in the export, a proof, or the
// manifest, or another key, does not.
TEST_P(LogApiTest, AnExportWithItsManifestVerifiesOfflineAndNothingElseDoes) {
  WriteItems(0, 30);
  ASSERT_EQ(Admin("DELETE", "/admin/tenants/" + std::string(kTenantA) + "/users/" + licensed_.id + "/interactions/item-3").status, 200);
  SystemClock clock;
  api::LogCheckpoints checkpoints(*store_, clock);
  api::ExportManifestBuilder builder(*store_, checkpoints, {kTenantA, licensed_.id, true, ""});
  const std::string dir = NewStoreLocation("sqlite", "aih-manifest");  // a scratch directory
  const std::string export_path = dir + "/export.ndjson", manifest_path = dir + "/export.manifest";
  {
    std::ofstream out(export_path, std::ios::binary);
    store::PageQuery query;
    query.tenant_id = kTenantA;
    query.user_id = licensed_.id;
    query.limit = 1000;
    ASSERT_TRUE(store_->interactions().Page(query, [&](const store::PageRow& row) {
      EXPECT_TRUE(builder.Add(row).ok());
      out << model::PrependAnnotation(row.json, "@aihistory.userId", row.user_id) << "\n";
      return true;
    }).ok());
  }
  auto manifest = builder.Finish(export_path, manifest_path + ".proofs.ndjson");
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  std::ofstream(manifest_path, std::ios::binary) << *manifest;
  const std::string key = store_->log().Keys()->front().key;
  auto verified = api::VerifyExport(key, manifest_path, export_path);
  ASSERT_TRUE(verified.ok()) << verified.status().message();
  EXPECT_EQ(verified->lines, 29u);
  EXPECT_EQ(verified->checkpoint_size, 31u);

  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  auto expect_refused = [&](const std::string& path, const std::string& from, const std::string& to, const char* says) {
    const std::string original = read(path);
    std::string changed = original;
    ASSERT_NE(changed.find(from), std::string::npos) << from;
    changed.replace(changed.find(from), from.size(), to);
    std::ofstream(path, std::ios::binary) << changed;
    auto r = api::VerifyExport(key, manifest_path, export_path);
    EXPECT_EQ(r.status().code(), Code::kBadRequest) << path;
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
    std::ofstream(path, std::ios::binary) << original;
  };
  expect_refused(export_path, "item-7", "item-8", "SHA-256 differs");
  expect_refused(manifest_path + ".proofs.ndjson", "\"leafIndex\":1,", "\"leafIndex\":2,", "SHA-256 differs");
  expect_refused(manifest_path, "\"count\":29", "\"count\":28", "does not verify with the key");
  EXPECT_TRUE(api::VerifyExport(key, manifest_path, export_path).ok());
  api::LogCheckpoints other_store_key(*store_, clock);
  ASSERT_TRUE(other_store_key.Rotate().ok());
  const std::string new_key = store_->log().Keys()->front().key;
  EXPECT_EQ(api::VerifyExport(new_key, manifest_path, export_path).status().code(), Code::kBadRequest);
  RemoveStoreLocation(dir);
}

INSTANTIATE_TEST_SUITE_P(Engines, LogApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
