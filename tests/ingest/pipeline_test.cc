// The one write pipeline (ingest/pipeline.h), on each store engine: what each kind of writer may
// write, how owners are attributed, what is normalised and written once, and that a directory that
// cannot answer writes nothing.
#include "ingest/pipeline.h"

#include <gtest/gtest.h>

#include "policy/directory_policy.h"
#include "model/interaction_writer.h"
#include "store/page_sql.h"
#include "support/store_engines.h"

namespace aih::ingest {
namespace {

using aih::testing::EngineName;
using aih::testing::OpenFreshStore;
using aih::testing::StoreEngines;

constexpr const char* kTenant = "aaaaaaaa-0000-4000-8000-000000000000";
constexpr const char* kWriterApp = "cccccccc-0000-4000-8000-000000000001";
constexpr const char* kOtherApp = "cccccccc-0000-4000-8000-000000000002";
constexpr const char* kAlice = "bbbbbbbb-0000-4000-8000-000000000001";
constexpr const char* kTeams = "IPM.SkypeTeams.Message.Copilot.Teams";
constexpr const char* kWord = "IPM.SkypeTeams.Message.Copilot.Word";  // registered, written by another app

std::string Item(const std::string& id, const std::string& owner = kAlice, const std::string& app_class = kTeams,
                 const std::string& extra = "") {
  std::string json = "{";
  if (!owner.empty()) json += "\"@aihistory.userId\":\"" + owner + "\",";
  return json + "\"id\":\"" + id + "\",\"appClass\":\"" + app_class +
         "\",\"interactionType\":\"userPrompt\",\"createdDateTime\":\"2026-01-01T00:00:00Z\"" + extra + "}";
}

std::vector<model::ParsedItem> Parse(const std::vector<std::string>& items) {
  std::string body = "[";
  for (size_t i = 0; i < items.size(); ++i) body += (i ? "," : "") + items[i];
  auto batch = model::ReadBatch(body + "]", /*ndjson=*/false);
  EXPECT_TRUE(batch.ok()) << batch.status().message();
  return batch.ok() ? std::move(batch->items) : std::vector<model::ParsedItem>{};
}

// Refuses every item as a directory that cannot be reached would, counting the questions.
class UnreachableDirectory final : public policy::AccessPolicy {
 public:
  Result<policy::ExportScope> AuthorizeUserExport(const auth::Principal&, std::string_view) override { return Down(); }
  Result<policy::ExportScope> AuthorizeTenantExport(const auth::Principal&) override { return Down(); }
  Status AuthorizeWriter(const auth::Principal&) override { return Down(); }
  Result<std::string> AuthorizeItem(const auth::Principal&, const model::WriteItem&) override { return Down(); }
  Result<std::string> CheckItem(const std::string&, const model::WriteItem&) override {
    ++asked;
    return Down();
  }
  static Status Down() { return Status(Code::kUnavailable, "the directory is restarting"); }
  int asked = 0;
};

class PipelineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    store_ = OpenFreshStore(GetParam(), nullptr, "aih-ingest");
    ASSERT_TRUE(store_);
    store::DirectoryStore& dir = store_->directory();
    ASSERT_TRUE(dir.CreateTenant({kTenant, "Contoso"}).ok());
    ASSERT_TRUE(dir.CreateApplication({kWriterApp, "Writer", kTenant, 0}).ok());
    ASSERT_TRUE(dir.CreateApplication({kOtherApp, "Other writer", kTenant, 0}).ok());
    std::vector<store::UserImport> users = {
        {kAlice, "alice@contoso.example", "Alice", store::AccountType::kWork, std::nullopt},
        {"", "pat@outlook.example", "Pat", store::AccountType::kPersonal, std::nullopt}};
    ASSERT_TRUE(dir.ImportUsers(kTenant, users).ok());
    ASSERT_TRUE(dir.CreateSource({kTenant, kTeams, store::SourceKind::kFirstParty, "Teams", true, {kWriterApp}}).ok());
    ASSERT_TRUE(dir.CreateSource({kTenant, kWord, store::SourceKind::kFirstParty, "Word", true, {kOtherApp}}).ok());
    policy_ = std::make_unique<policy::DirectoryPolicy>(dir);
    writer_.tenant_id = kTenant;
    writer_.app_id = kWriterApp;
    writer_.roles = {auth::kWriteAll};
  }

  Result<IngestResult> Run(const Writer& writer, std::vector<model::ParsedItem> items, Attribution owner = {}) {
    return Ingest(store_->interactions(), *policy_, writer, owner, std::move(items));
  }
  int64_t Stored() {
    store::PageQuery all;
    all.tenant_id = kTenant;
    all.user_id = kAlice;
    return store_->interactions().Count(all).value();
  }

  std::unique_ptr<store::Store> store_;
  std::unique_ptr<policy::DirectoryPolicy> policy_;
  auth::Principal writer_;
};

TEST_P(PipelineTest, AnApplicationWritesOnlyTheSourcesRegisteredToIt) {
  auto result = Run(Writer::Application(writer_),
                    Parse({Item("1"), Item("2", kAlice, kWord), Item("3", kAlice, "Unregistered.App"),
                           Item("4", "pat@outlook.example"), Item("5", "alice@contoso.example")}));
  ASSERT_TRUE(result.ok()) << result.status().message();
  ASSERT_EQ(result->items.size(), 5u);
  EXPECT_TRUE(result->items[0].status.ok());
  EXPECT_EQ(result->items[1].status.code(), Code::kForbidden) << "another application's source";
  EXPECT_NE(result->items[1].status.message().find("not a registered writer"), std::string::npos);
  EXPECT_EQ(result->items[2].status.code(), Code::kBadRequest) << "an unregistered appClass";
  EXPECT_EQ(result->items[3].status.code(), Code::kBadRequest) << "a personal account owns nothing here";
  // An owner named by user principal name is stored under, and reported as, its object id.
  EXPECT_TRUE(result->items[4].status.ok());
  EXPECT_EQ(result->items[4].user_id, kAlice);
  EXPECT_EQ(result->items[3].user_id, "pat@outlook.example") << "a refused item keeps the owner it named";
  EXPECT_EQ(result->written, 2u);
  EXPECT_EQ(result->stored, 2u);
  EXPECT_EQ(result->refused, 3u);
  EXPECT_EQ(Stored(), 2);
}

TEST_P(PipelineTest, EachItemIsSerialisedOnceAsCanonicalGraphJsonAndWrittenOnce) {
  auto first = Run(Writer::Application(writer_), Parse({Item("1"), Item("2")}));
  ASSERT_TRUE(first.ok());
  auto stored = store_->interactions().Get(kTenant, kAlice, "1");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  auto again = model::ReadStoredItem(*stored);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*stored, model::WriteInteraction(again->interaction)) << "stored as the canonical JSON";
  uint64_t bytes = stored->size() + store_->interactions().Get(kTenant, kAlice, "2")->size();
  EXPECT_EQ(first->written_bytes, bytes);
  EXPECT_EQ(first->items[0].outcome.etag, "1");

  // The same items again are unchanged; a changed one is updated (a new etag).
  auto second = Run(Writer::Application(writer_),
                    Parse({Item("1"), Item("2", kAlice, kTeams, ",\"sessionId\":\"s-2\"")}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->unchanged, 1u);
  EXPECT_EQ(second->updated, 1u);
  EXPECT_EQ(second->items[1].outcome.etag, "2.2");
  EXPECT_EQ(Stored(), 2);
}

TEST_P(PipelineTest, OwnersAreAttributedByTheCallersRule) {
  // A user in the request path binds: items naming nobody are theirs, items naming another are refused.
  Attribution path{kAlice, /*binding=*/true, ""};
  auto bound = Run(Writer::Application(writer_), Parse({Item("1", ""), Item("2", "someone@contoso.example")}), path);
  ASSERT_TRUE(bound.ok());
  EXPECT_TRUE(bound->items[0].status.ok());
  EXPECT_EQ(bound->items[0].user_id, kAlice);
  EXPECT_EQ(bound->items[1].status.message(),
            "@aihistory.userId 'someone@contoso.example' differs from the user in the path '" + std::string(kAlice) + "'");
  // A default owner (import --user) only fills in.
  Attribution fallback{kAlice, /*binding=*/false, ""};
  auto filled = Run(Writer::Operator(kTenant), Parse({Item("3", ""), Item("4", "alice@contoso.example")}), fallback);
  ASSERT_TRUE(filled.ok());
  EXPECT_EQ(filled->stored, 2u);
  // No owner at all: refused with the caller's words.
  Attribution none{"", false, "name an owner"};
  auto unnamed = Run(Writer::Application(writer_), Parse({Item("5", "")}), none);
  ASSERT_TRUE(unnamed.ok());
  EXPECT_EQ(unnamed->items[0].status.message(), "name an owner");
  EXPECT_EQ(unnamed->written, 0u);
}

TEST_P(PipelineTest, AnOperatorSkipsOnlyTheWriterCheckAndKeepsExportedEtags) {
  const std::string exported = ",\"etag\":\"7.3\"";
  auto result = Run(Writer::Operator(kTenant), Parse({Item("6", kAlice, kWord), Item("7", kAlice, kTeams, exported),
                                                      Item("8", kAlice, "Unregistered.App")}));
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->items[0].status.ok()) << "any registered source, whoever writes it";
  EXPECT_EQ(result->items[1].outcome.etag, "7.3") << "a moved interaction keeps its version";
  EXPECT_EQ(result->items[2].status.code(), Code::kBadRequest);
  // An application's etag is the server's to set.
  auto written = Run(Writer::Application(writer_), Parse({Item("9", kAlice, kTeams, exported)}));
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->items[0].outcome.etag, "9");
}

TEST_P(PipelineTest, TheGeneratorWritesIntoTheDirectoryItRegisteredWithoutAsking) {
  UnreachableDirectory down;
  auto result =
      Ingest(store_->interactions(), down, Writer::Generator(kTenant), {}, Parse({Item("10", kAlice, "Not.Checked")}));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->stored, 1u);
  EXPECT_EQ(Stored(), 1);
}

TEST_P(PipelineTest, ADirectoryThatCannotAnswerWritesNothing) {
  UnreachableDirectory down;
  auto result = Ingest(store_->interactions(), down, Writer::Operator(kTenant), {}, Parse({Item("11"), Item("12")}));
  EXPECT_EQ(result.status().code(), Code::kUnavailable);
  EXPECT_EQ(down.asked, 1) << "the first failure stops the questions";
  EXPECT_EQ(Stored(), 0);
}

TEST_P(PipelineTest, ItemsTheReaderRefusedKeepTheirReason) {
  auto items = Parse({Item("13"), "{\"@aihistory.userId\":\"" + std::string(kAlice) + "\",\"id\":\"14\"}"});
  ASSERT_EQ(items.size(), 2u);
  const std::string why = items[1].status.message();
  ASSERT_FALSE(why.empty());
  auto result = Run(Writer::Application(writer_), std::move(items));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->items[1].status.message(), why);
  EXPECT_EQ(result->items[1].id, "14");
  EXPECT_EQ(result->stored, 1u);
  EXPECT_EQ(result->refused, 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, PipelineTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::ingest
