#include "model/interaction_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace aih::model {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kRequired =
    R"("appClass":"IPM.SkypeTeams.Message.Copilot.Teams","interactionType":"userPrompt",)"
    R"("createdDateTime":"2026-01-15T10:30:00Z")";

// A valid item with `members` (",\"x\":1"-style, or "" for none) added after the required ones.
std::string Item(const std::string& members = "") {
  return "{" + std::string(kRequired) + members + "}";
}

// The message ReadItem refuses `json` with (and the test fails if it is accepted).
std::string Refusal(const std::string& json) {
  Result<WriteItem> item = ReadItem(json);
  if (item.ok()) {
    ADD_FAILURE() << "accepted: " << json;
    return "";
  }
  EXPECT_EQ(item.status().code(), Code::kBadRequest) << item.status().message();
  return item.status().message();
}

WriteItem Accepted(const std::string& json) {
  Result<WriteItem> item = ReadItem(json);
  if (!item.ok()) {
    ADD_FAILURE() << item.status().message() << " in " << json;
    return {};
  }
  return *item;
}

// ---- the required properties

TEST(InteractionReaderTest, ReadsAMinimalItem) {
  WriteItem item = Accepted(Item());
  const Interaction& x = item.interaction;
  EXPECT_EQ(x.app_class, "IPM.SkypeTeams.Message.Copilot.Teams");
  EXPECT_EQ(x.interaction_type, InteractionType::kUserPrompt);
  EXPECT_EQ(x.created.ToString(), "2026-01-15T10:30:00Z");
  EXPECT_EQ(x.id, "");  // assigned later by the ingest layer
  EXPECT_EQ(x.etag, "");
  EXPECT_EQ(item.user_id, "");
  EXPECT_FALSE(x.session_id || x.request_id || x.conversation_type || x.locale || x.body || x.from);
  EXPECT_TRUE(x.attachments.empty() && x.contexts.empty() && x.links.empty() && x.mentions.empty());
}

TEST(InteractionReaderTest, RefusesAMissingRequiredProperty) {
  EXPECT_EQ(Refusal(R"({"interactionType":"userPrompt","createdDateTime":"2026-01-15T10:30:00Z"})"),
            "missing required property 'appClass'");
  EXPECT_EQ(Refusal(R"({"appClass":"a","createdDateTime":"2026-01-15T10:30:00Z"})"),
            "missing required property 'interactionType'");
  EXPECT_EQ(Refusal(R"({"appClass":"a","interactionType":"aiResponse"})"),
            "missing required property 'createdDateTime'");
  EXPECT_EQ(Refusal("{}"), "missing required property 'appClass'");
}

TEST(InteractionReaderTest, RefusesNullOrWrongTypesForRequiredProperties) {
  EXPECT_EQ(
      Refusal(
          R"({"appClass":null,"interactionType":"userPrompt","createdDateTime":"2026-01-15T10:30:00Z"})"),
      "appClass: expected a string, got null");
  EXPECT_EQ(
      Refusal(
          R"({"appClass":"a","interactionType":null,"createdDateTime":"2026-01-15T10:30:00Z"})"),
      "interactionType: expected a string, got null");
  EXPECT_EQ(Refusal(R"({"appClass":"a","interactionType":"userPrompt","createdDateTime":null})"),
            "createdDateTime: expected a string, got null");
  EXPECT_EQ(
      Refusal(R"({"appClass":"a","interactionType":"userPrompt","createdDateTime":1768473000000})"),
      "createdDateTime: expected a string, got a number");
  EXPECT_EQ(
      Refusal(
          R"({"appClass":"","interactionType":"userPrompt","createdDateTime":"2026-01-15T10:30:00Z"})"),
      "appClass: must not be empty");
}

TEST(InteractionReaderTest, InteractionTypeIsCaseSensitive) {
  for (auto [text, type] :
       {std::pair{"userPrompt", InteractionType::kUserPrompt},
        std::pair{"aiResponse", InteractionType::kAiResponse},
        std::pair{"unknownFutureValue", InteractionType::kUnknownFutureValue}}) {
    std::string json =
        R"({"appClass":"a","createdDateTime":"2026-01-15T10:30:00Z","interactionType":")" +
        std::string(text) + "\"}";
    EXPECT_EQ(Accepted(json).interaction.interaction_type, type) << text;
  }
  EXPECT_EQ(
      Refusal(
          R"({"appClass":"a","createdDateTime":"2026-01-15T10:30:00Z","interactionType":"UserPrompt"})"),
      "interactionType: 'UserPrompt' is not one of userPrompt, aiResponse, unknownFutureValue "
      "(values are case-sensitive)");
}

TEST(InteractionReaderTest, CreatedDateTimeNeedsAnOffsetAndIsKeptInUtcWithItsDigits) {
  auto created = [](const char* text) {
    return Accepted(R"({"appClass":"a","interactionType":"userPrompt","createdDateTime":")" +
                    std::string(text) + "\"}")
        .interaction.created;
  };
  EXPECT_EQ(created("2026-01-15T10:30:00.120+02:00").ToString(), "2026-01-15T08:30:00.120Z");
  EXPECT_EQ(created("2026-01-15T10:30:00.1234567Z").ToString(), "2026-01-15T10:30:00.1234567Z");
  EXPECT_EQ(created("2026-01-15T10:30:00.1234567Z").fraction_digits, 7);
  EXPECT_EQ(created("2026-01-15T00:30:00-01:00").ToString(), "2026-01-15T01:30:00Z");

  std::string message = Refusal(
      R"({"appClass":"a","interactionType":"userPrompt","createdDateTime":"2026-01-15T10:30:00"})");
  EXPECT_THAT(message,
              StartsWith("createdDateTime: '2026-01-15T10:30:00' is not a valid DateTimeOffset"));
  EXPECT_THAT(message, HasSubstr("no UTC offset"));
  EXPECT_THAT(
      Refusal(
          R"({"appClass":"a","interactionType":"userPrompt","createdDateTime":"2026-01-15T10:30:00.12345678Z"})"),
      HasSubstr("more than 7 fractional digits"));
}

// ---- id and the owner annotation

TEST(InteractionReaderTest, IdMustBeANonEmptyShortStringWithoutControlCharacters) {
  EXPECT_EQ(Accepted(Item(R"(,"id":"1768473000000")")).interaction.id, "1768473000000");
  EXPECT_EQ(Accepted(Item(R"(,"id":null)")).interaction.id, "");
  EXPECT_EQ(Accepted(Item(",\"id\":\"" + std::string(256, 'x') + "\"")).interaction.id.size(),
            256u);

  EXPECT_THAT(Refusal(Item(R"(,"id":1768473000000)")),
              StartsWith("id: expected a string, got a number (send the id as a JSON string"));
  EXPECT_EQ(Refusal(Item(R"(,"id":"")")), "id: must not be empty");
  EXPECT_EQ(Refusal(Item(",\"id\":\"" + std::string(257, 'x') + "\"")),
            "id: is 257 bytes long; at most 256 are allowed");
  EXPECT_EQ(Refusal(Item(R"(,"id":"a\u0001b")")), "id: must not contain control characters");
  EXPECT_EQ(Refusal(Item(R"(,"id":"a\u007fb")")), "id: must not contain control characters");
  EXPECT_EQ(Refusal(Item(R"(,"id":"a\u0085b")")), "id: must not contain control characters");
  EXPECT_EQ(Accepted(Item(R"(,"id":"caf\u00e9")")).interaction.id, "caf\u00e9");
}

TEST(InteractionReaderTest, ReadsTheOwnerAnnotation) {
  EXPECT_EQ(Accepted(R"({"@aihistory.userId":"u-1",)" + Item().substr(1)).user_id, "u-1");
  EXPECT_EQ(Refusal(Item(R"(,"@aihistory.userId":"")")), "@aihistory.userId: must not be empty");
  EXPECT_EQ(Refusal(Item(R"(,"@aihistory.userId":5)")),
            "@aihistory.userId: expected a string, got a number");
  EXPECT_EQ(Refusal(Item(",\"@aihistory.userId\":\"" + std::string(300, 'u') + "\"")),
            "@aihistory.userId: is 300 bytes long; at most 256 are allowed");
  EXPECT_EQ(Refusal(Item(R"(,"@aihistory.userId":"a\nb")")),
            "@aihistory.userId: must not contain control characters");
}

TEST(InteractionReaderTest, RefusesOtherAnnotations) {
  EXPECT_THAT(Refusal(Item(R"(,"@odata.etag":"W/1")")),
              StartsWith("unknown property '@odata.etag'"));
  EXPECT_THAT(Refusal(Item(R"(,"@aihistory.tenantId":"t")")),
              StartsWith("unknown property '@aihistory.tenantId'"));
}

// ---- unknown and duplicate members

TEST(InteractionReaderTest, RefusesUnknownProperties) {
  std::string message = Refusal(Item(R"(,"foo":1)"));
  EXPECT_THAT(message,
              StartsWith("unknown property 'foo'; an aiInteraction has only id, sessionId"));
  EXPECT_THAT(Refusal(Item(R"(,"appclass":"x")")),
              HasSubstr("unknown property 'appclass'; did you mean 'appClass'?"));
  EXPECT_THAT(
      Refusal(Item(R"(,"from":{"user":{"id":"u","userPrincipalName":"a@b"}})")),
      StartsWith(
          "from.user: unknown property 'userPrincipalName'; a teamworkUserIdentity has only"));
  EXPECT_THAT(Refusal(Item(R"(,"mentions":[{},{"mentioned":{"tag":{"x":1}}}])")),
              StartsWith("mentions[1].mentioned.tag: unknown property 'x'"));
  EXPECT_THAT(Refusal(Item(R"(,"body":{"contentType":"text","messageBodyContentType":"text"})")),
              StartsWith("body: unknown property 'messageBodyContentType'"));
}

TEST(InteractionReaderTest, RefusesDuplicateProperties) {
  EXPECT_EQ(Refusal(Item(R"(,"id":"1","id":"2")")), "duplicate property 'id'");
  EXPECT_EQ(Refusal(Item(R"(,"appClass":"b")")), "duplicate property 'appClass'");
  EXPECT_EQ(Refusal(Item(R"(,"from":{"user":{"id":"1","id":"1"}})")),
            "from.user: duplicate property 'id'");
  EXPECT_EQ(Refusal(Item(R"(,"mentions":[{"mentionId":1,"mentionId":1}])")),
            "mentions[0]: duplicate property 'mentionId'");
}

// ---- nullable strings

TEST(InteractionReaderTest, NullableStringsAreStringOrNull) {
  WriteItem item = Accepted(
      Item(R"(,"sessionId":"s","requestId":null,"conversationType":"appchat","locale":"en-us")"));
  EXPECT_EQ(item.interaction.session_id, "s");
  EXPECT_EQ(item.interaction.request_id, std::nullopt);
  EXPECT_EQ(item.interaction.conversation_type, "appchat");
  EXPECT_EQ(item.interaction.locale, "en-us");
  EXPECT_EQ(Accepted(Item(R"(,"sessionId":"")")).interaction.session_id, "");  // kept, not null

  EXPECT_EQ(Refusal(Item(R"(,"sessionId":5)")),
            "sessionId: expected a string or null, got a number");
  EXPECT_EQ(Refusal(Item(R"(,"requestId":true)")),
            "requestId: expected a string or null, got a boolean");
  EXPECT_EQ(Refusal(Item(R"(,"conversationType":[])")),
            "conversationType: expected a string or null, got an array");
  EXPECT_EQ(Refusal(Item(R"(,"locale":{})")), "locale: expected a string or null, got an object");
  EXPECT_EQ(Refusal(Item(R"(,"attachments":[{"content":{"type":"AdaptiveCard"}}])")),
            "attachments[0].content: expected a string or null, got an object");
}

TEST(InteractionReaderTest, KeepsStringsExactly) {
  WriteItem item = Accepted(
      Item(R"(,"body":{"contentType":"html","content":"a\"b\\c\n\u0000\u00e9\ud83d\ude00"})"));
  EXPECT_EQ(*item.interaction.body->content, std::string("a\"b\\c\n\0\u00e9\U0001F600", 13));
}

// ---- etag and @odata.type

TEST(InteractionReaderTest, EtagIsAcceptedAndIgnored) {
  EXPECT_EQ(Accepted(Item(R"(,"etag":"123")")).interaction.etag, "");
  EXPECT_EQ(Accepted(Item(R"(,"etag":null)")).interaction.etag, "");
  EXPECT_EQ(Refusal(Item(R"(,"etag":1)")), "etag: expected a string or null, got a number");
}

TEST(InteractionReaderTest, ODataTypeMustNameTheExpectedType) {
  Accepted(Item(R"(,"@odata.type":"#microsoft.graph.aiInteraction")"));
  EXPECT_EQ(Refusal(Item(R"(,"@odata.type":"#Microsoft.Graph.aiInteraction")")),
            "@odata.type: expected '#microsoft.graph.aiInteraction', got "
            "'#Microsoft.Graph.aiInteraction'");
  EXPECT_EQ(Refusal(Item(R"(,"@odata.type":null)")), "@odata.type: expected a string, got null");

  Accepted(
      Item(R"(,"from":{"@odata.type":"#microsoft.graph.chatMessageFromIdentitySet",)"
           R"("user":{"@odata.type":"#microsoft.graph.teamworkUserIdentity"},)"
           R"("application":{"@odata.type":"#microsoft.graph.teamworkApplicationIdentity"}},)"
           R"("mentions":[{"@odata.type":"#microsoft.graph.aiInteractionMention","mentioned":{)"
           R"("@odata.type":"#microsoft.graph.aiInteractionMentionedIdentitySet",)"
           R"("conversation":{"@odata.type":"#microsoft.graph.teamworkConversationIdentity"},)"
           R"("tag":{"@odata.type":"#microsoft.graph.teamworkTagIdentity"}}}],)"
           R"("attachments":[{"@odata.type":"#microsoft.graph.aiInteractionAttachment"}],)"
           R"("contexts":[{"@odata.type":"#microsoft.graph.aiInteractionContext"}],)"
           R"("links":[{"@odata.type":"#microsoft.graph.aiInteractionLink"}],)"
           R"("body":{"@odata.type":"#microsoft.graph.itemBody","contentType":"text"})"));
  Accepted(
      Item(R"(,"body":{"@odata.type":"#microsoft.graph.chatMessageBody","contentType":"text"})"));

  EXPECT_EQ(Refusal(Item(R"(,"from":{"@odata.type":"#microsoft.graph.identitySet"})")),
            "from.@odata.type: expected '#microsoft.graph.chatMessageFromIdentitySet', got "
            "'#microsoft.graph.identitySet'");
  EXPECT_EQ(Refusal(Item(R"(,"from":{"user":{"@odata.type":"#microsoft.graph.emailIdentity"}})")),
            "from.user.@odata.type: expected '#microsoft.graph.teamworkUserIdentity', got "
            "'#microsoft.graph.emailIdentity'");
  EXPECT_THAT(
      Refusal(Item(
          R"(,"mentions":[{"mentioned":{"@odata.type":"#microsoft.graph.chatMessageFromIdentitySet"}}])")),
      StartsWith("mentions[0].mentioned.@odata.type: expected "
                 "'#microsoft.graph.aiInteractionMentionedIdentitySet'"));
  EXPECT_THAT(
      Refusal(Item(R"(,"links":[{"@odata.type":"#microsoft.graph.aiInteractionContext"}])")),
      StartsWith("links[0].@odata.type: expected '#microsoft.graph.aiInteractionLink'"));
  // A device carries no type in Graph's output, so one sent could not be written back.
  EXPECT_THAT(Refusal(Item(R"(,"from":{"device":{"@odata.type":"#microsoft.graph.identity"}})")),
              StartsWith("from.device: unknown property '@odata.type'"));
}

// ---- body

TEST(InteractionReaderTest, BodyNeedsAContentTypeOfTextOrHtml) {
  EXPECT_FALSE(Accepted(Item(R"(,"body":null)")).interaction.body);
  Body body =
      *Accepted(Item(R"(,"body":{"contentType":"html","content":"<b>x</b>"})")).interaction.body;
  EXPECT_EQ(body.content_type, "html");
  EXPECT_EQ(body.content, "<b>x</b>");
  EXPECT_EQ(
      Accepted(Item(R"(,"body":{"content":null,"contentType":"text"})")).interaction.body->content,
      std::nullopt);

  EXPECT_EQ(Refusal(Item(R"(,"body":{"content":"x"})")),
            "body: missing required property 'contentType'");
  EXPECT_EQ(Refusal(Item(R"(,"body":{"contentType":"Text"})")),
            "body.contentType: 'Text' is not one of text, html (values are case-sensitive)");
  EXPECT_EQ(Refusal(Item(R"(,"body":{"contentType":null})")),
            "body.contentType: expected a string, got null");
  EXPECT_EQ(Refusal(Item(R"(,"body":"hello")")), "body: expected an object or null, got a string");
}

// ---- identities

TEST(InteractionReaderTest, ReadsIdentitySets) {
  WriteItem item = Accepted(Item(
      R"(,"from":{"application":null,"device":{"id":"d","displayName":null},)"
      R"("user":{"id":"u","displayName":"Adele","userIdentityType":"aadUser","tenantId":"t"}})"));
  const FromIdentitySet& from = *item.interaction.from;
  EXPECT_FALSE(from.application);
  EXPECT_EQ(from.device, (DeviceIdentity{"d", std::nullopt}));
  EXPECT_EQ(from.user, (UserIdentity{"u", "Adele", "aadUser", "t"}));
  EXPECT_EQ(Accepted(Item(R"(,"from":{})")).interaction.from, FromIdentitySet{});
  EXPECT_FALSE(Accepted(Item(R"(,"from":null)")).interaction.from);
  EXPECT_EQ(Refusal(Item(R"(,"from":[])")), "from: expected an object or null, got an array");
  EXPECT_EQ(Refusal(Item(R"(,"from":{"user":"u"})")),
            "from.user: expected an object or null, got a string");
}

TEST(InteractionReaderTest, IdentityTypesAreCheckedCaseSensitively) {
  EXPECT_EQ(Refusal(Item(R"(,"from":{"user":{"userIdentityType":"AadUser"}})")),
            "from.user.userIdentityType: 'AadUser' is not one of aadUser, onPremiseAadUser, "
            "anonymousGuest, federatedUser, personalMicrosoftAccountUser, skypeUser, phoneUser, "
            "unknownFutureValue, emailUser (values are case-sensitive)");
  // Beta-only: v1.0 clients would drop it, so it is refused for both versions.
  EXPECT_THAT(Refusal(Item(R"(,"from":{"user":{"userIdentityType":"azureCommunicationServicesUser"}})")),
              ::testing::HasSubstr("'azureCommunicationServicesUser' is not one of"));
  for (const char* type : {"aadUser", "onPremiseAadUser", "anonymousGuest", "federatedUser",
                           "personalMicrosoftAccountUser", "skypeUser", "phoneUser",
                           "unknownFutureValue", "emailUser"}) {
    WriteItem item =
        Accepted(Item(R"(,"from":{"user":{"userIdentityType":")" + std::string(type) + "\"}}"));
    EXPECT_EQ(item.interaction.from->user->user_identity_type, type);
  }
  for (const char* type : {"aadApplication", "bot", "tenantBot", "office365Connector",
                           "outgoingWebhook", "unknownFutureValue"}) {
    Accepted(Item(R"(,"from":{"application":{"applicationIdentityType":")" + std::string(type) +
                  "\"}}"));
  }
  EXPECT_THAT(
      Refusal(Item(R"(,"from":{"application":{"applicationIdentityType":"Bot"}})")),
      StartsWith("from.application.applicationIdentityType: 'Bot' is not one of aadApplication"));
  for (const char* type : {"team", "channel", "chat", "unknownFutureValue"}) {
    Accepted(Item(R"(,"mentions":[{"mentioned":{"conversation":{"conversationIdentityType":")" +
                  std::string(type) + "\"}}}]"));
  }
  EXPECT_THAT(
      Refusal(Item(
          R"(,"mentions":[{"mentioned":{"conversation":{"conversationIdentityType":"group"}}}])")),
      StartsWith("mentions[0].mentioned.conversation.conversationIdentityType: 'group' is not one "
                 "of team, channel, chat"));
  EXPECT_EQ(Refusal(Item(R"(,"from":{"user":{"userIdentityType":1}})")),
            "from.user.userIdentityType: expected a string or null, got a number");
  EXPECT_EQ(Accepted(Item(R"(,"from":{"user":{"userIdentityType":null}})")).interaction.from->user,
            UserIdentity{});
}

// ---- arrays and mentions

TEST(InteractionReaderTest, ArraysAreArraysOfObjectsOrNull) {
  WriteItem item =
      Accepted(Item(R"(,"attachments":null,"contexts":[],"links":[{},{"linkUrl":"u"}])"));
  EXPECT_TRUE(item.interaction.attachments.empty());
  EXPECT_TRUE(item.interaction.contexts.empty());
  ASSERT_EQ(item.interaction.links.size(), 2u);
  EXPECT_EQ(item.interaction.links[1].link_url, "u");
  EXPECT_EQ(Refusal(Item(R"(,"attachments":"x")")),
            "attachments: expected an array or null, got a string");
  EXPECT_EQ(Refusal(Item(R"(,"contexts":{})")),
            "contexts: expected an array or null, got an object");
  EXPECT_EQ(Refusal(Item(R"(,"mentions":[{},3])")),
            "mentions[1]: expected an object, got a number");
  EXPECT_EQ(Refusal(Item(R"(,"links":[null])")), "links[0]: expected an object, got null");
}

TEST(InteractionReaderTest, MentionIdIsA32BitIntegerNumber) {
  auto mention_id = [](const std::string& value) {
    return Accepted(Item(R"(,"mentions":[{"mentionId":)" + value + "}]"))
        .interaction.mentions[0]
        .mention_id;
  };
  EXPECT_EQ(mention_id("3"), 3);
  EXPECT_EQ(mention_id("-0"), 0);
  EXPECT_EQ(mention_id("2147483647"), 2147483647);
  EXPECT_EQ(mention_id("-2147483648"), -2147483647 - 1);
  EXPECT_EQ(mention_id("null"), std::nullopt);

  auto refusal = [](const std::string& value) {
    return Refusal(Item(R"(,"mentions":[{"mentionId":)" + value + "}]"));
  };
  EXPECT_EQ(refusal("\"3\""),
            "mentions[0].mentionId: expected a 32-bit integer number, got a string");
  EXPECT_EQ(refusal("3.5"),
            "mentions[0].mentionId: expected a 32-bit integer number, got a number with a fraction "
            "or an exponent");
  EXPECT_THAT(refusal("3.0"), HasSubstr("with a fraction or an exponent"));
  EXPECT_THAT(refusal("1e2"), HasSubstr("with a fraction or an exponent"));
  EXPECT_EQ(refusal("2147483648"),
            "mentions[0].mentionId: expected a 32-bit integer number, got a number outside "
            "-2147483648..2147483647");
  EXPECT_THAT(refusal("-2147483649"), HasSubstr("outside -2147483648..2147483647"));
  EXPECT_THAT(refusal("18446744073709551615"), HasSubstr("outside -2147483648..2147483647"));
  EXPECT_EQ(refusal("true"),
            "mentions[0].mentionId: expected a 32-bit integer number, got a boolean");
}

TEST(InteractionReaderTest, ReadsMentionedIdentitySets) {
  WriteItem item = Accepted(Item(
      R"(,"mentions":[{"mentionId":1,"mentionText":"Adele","mentioned":{"user":{"id":"u"},)"
      R"("application":{"id":"a"},"device":{"id":"d"},)"
      R"("conversation":{"id":"c","displayName":"General","conversationIdentityType":"channel"},)"
      R"("tag":{"id":"g","displayName":"Engineers"}}}])"));
  const Mention& m = item.interaction.mentions.at(0);
  EXPECT_EQ(m.mention_text, "Adele");
  EXPECT_EQ(m.mentioned->user->id, "u");
  EXPECT_EQ(m.mentioned->application->id, "a");
  EXPECT_EQ(m.mentioned->device->id, "d");
  EXPECT_EQ(m.mentioned->conversation, (ConversationIdentity{"c", "General", "channel"}));
  EXPECT_EQ(m.mentioned->tag, (TagIdentity{"g", "Engineers"}));
}

// ---- malformed documents

TEST(InteractionReaderTest, RefusesInvalidUtf8) {
  EXPECT_EQ(Refusal(Item(",\"locale\":\"en\xff\"")), "the body is not valid UTF-8");
  EXPECT_EQ(Refusal(Item(",\"locale\":\"\xc3\"")), "the body is not valid UTF-8");  // truncated
  Result<ParsedBatch> batch = ReadBatch("[" + Item(",\"locale\":\"\xed\xa0\x80\"") + "]", false);
  ASSERT_FALSE(batch.ok());  // an encoded surrogate is not UTF-8
  EXPECT_EQ(batch.status().message(), "the body is not valid UTF-8");
}

TEST(InteractionReaderTest, RefusesMalformedJson) {
  EXPECT_THAT(Refusal(Item(",")), StartsWith("the body is not valid JSON"));
  EXPECT_THAT(Refusal(R"({"appClass":"a)"), StartsWith("the body is not valid JSON"));
  EXPECT_THAT(Refusal(Item(R"(,"locale":"\ud800")")), HasSubstr("surrogate"));
  EXPECT_THAT(Refusal(Item(",\"locale\":\"a\tb\"")), HasSubstr("raw control character"));
  EXPECT_THAT(Refusal(Item(",\"x\":tru")), StartsWith("the body is not valid JSON"));
  EXPECT_THAT(Refusal(""), StartsWith("the body is not valid JSON"));
  EXPECT_EQ(Refusal("[1]"), "expected an interaction object, got an array");
}

TEST(InteractionReaderTest, RefusesDeepNestingWithoutCrashing) {
  EXPECT_THAT(Refusal(std::string(100000, '[')),
              StartsWith("the JSON nests deeper than 64 levels"));
  Result<ParsedBatch> batch = ReadBatch(std::string(100000, '['), false);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("the JSON nests deeper than 64 levels"));
  batch = ReadBatch(std::string(1000, '[') + std::string(1000, ']'), false);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("the JSON nests deeper than 64 levels"));
  batch = ReadBatch(Item(R"(,"x":)" + std::string(100000, '{')), true);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("line 1: the JSON nests deeper than 64 levels"));
}

TEST(InteractionReaderTest, MaxDepthIsExact) {
  // [ item { from { user { id } } } ] is 4 levels deep.
  const std::string body = "[" + Item(R"(,"from":{"user":{"id":"u"}})") + "]";
  ReaderLimits limits;
  limits.max_depth = 4;
  EXPECT_TRUE(ReadBatch(body, false, limits).ok());
  limits.max_depth = 3;
  Result<ParsedBatch> batch = ReadBatch(body, false, limits);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("the JSON nests deeper than 3 levels"));
  // The parser of this thread goes back to the default limit afterwards.
  EXPECT_TRUE(ReadItem(Item(R"(,"mentions":[{"mentioned":{"user":{}}}])")).ok());
}

TEST(InteractionReaderTest, SkipsAByteOrderMark) {
  Accepted("\xEF\xBB\xBF" + Item());
  EXPECT_TRUE(ReadBatch("\xEF\xBB\xBF[" + Item() + "]", false).ok());
}

// ---- batches

TEST(ReadBatchTest, AcceptsAnArrayAValueObjectOrOneItem) {
  const std::string a = Item(R"(,"id":"a")"), b = Item(R"(,"id":"b")");
  for (const std::string& body : {"[" + a + "," + b + "]", R"({"value":[)" + a + "," + b + "]}",
                                  " \n[" + a + ",\n" + b + "]\n"}) {
    Result<ParsedBatch> batch = ReadBatch(body, false);
    ASSERT_TRUE(batch.ok()) << batch.status().message();
    ASSERT_EQ(batch->items.size(), 2u);
    EXPECT_EQ(batch->items[0].item.interaction.id, "a");
    EXPECT_EQ(batch->items[1].item.interaction.id, "b");
  }
  Result<ParsedBatch> one = ReadBatch(a, false);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_TRUE(one->items[0].status.ok());
  EXPECT_EQ(one->items[0].item.interaction.id, "a");
}

TEST(ReadBatchTest, AcceptsAnExportPageWithItsAnnotations) {
  const std::string page =
      R"j({"@odata.context":"https://x/v1.0/$metadata#Collection(microsoft.graph.aiInteraction)",)j"
      R"("@odata.count":1,"@odata.nextLink":"https://x/next","value":[{"@aihistory.userId":"u",)" +
      Item().substr(1) + "]}";
  Result<ParsedBatch> batch = ReadBatch(page, false);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->items.size(), 1u);
  EXPECT_EQ(batch->items[0].item.user_id, "u");
}

TEST(ReadBatchTest, RefusesOtherShapes) {
  EXPECT_EQ(ReadBatch("[]", false).status().message(), "the batch has no items");
  EXPECT_EQ(ReadBatch(R"({"value":[]})", false).status().message(), "the batch has no items");
  EXPECT_EQ(ReadBatch("", false).status().message(), "the batch has no items");
  EXPECT_EQ(ReadBatch(" \r\n ", false).status().message(), "the batch has no items");
  EXPECT_EQ(ReadBatch("", true).status().message(), "the batch has no items");
  EXPECT_EQ(ReadBatch("\n\r\n  \n", true).status().message(), "the batch has no items");
  EXPECT_THAT(
      ReadBatch("42", false).status().message(),
      StartsWith("the body must be a JSON array of interactions, an object {\"value\":[...]}, "
                 "or one interaction object; got a number"));
  EXPECT_EQ(ReadBatch(R"({"value":{}})", false).status().message(),
            "'value' must be an array of interactions, got an object");
  EXPECT_THAT(
      ReadBatch(R"({"value":[],"appClass":"a"})", false).status().message(),
      StartsWith(
          "the batch object {\"value\":[...]} may have no other property; found 'appClass'"));
  EXPECT_EQ(ReadBatch(R"({"value":[{}],"value":[{}]})", false).status().message(),
            "the batch object has more than one 'value'");
  EXPECT_EQ(ReadBatch("[" + Item() + "] x", false).status().code(), Code::kBadRequest);
  EXPECT_EQ(ReadBatch("[" + Item() + ",]", false).status().code(), Code::kBadRequest);
}

TEST(ReadBatchTest, AnItemsErrorStaysWithTheItem) {
  const std::string body = "[" + Item(R"(,"id":"good")") + R"(,{"id":"bad","foo":1},3,)" +
                           Item(R"(,"id":"also-good","@aihistory.userId":"u")") + "]";
  Result<ParsedBatch> batch = ReadBatch(body, false);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->items.size(), 4u);
  EXPECT_TRUE(batch->items[0].status.ok());
  EXPECT_EQ(batch->items[1].status.code(), Code::kBadRequest);
  EXPECT_THAT(batch->items[1].status.message(), StartsWith("unknown property 'foo'"));
  // A refused item keeps its id (to name it in the response) and nothing else.
  EXPECT_EQ(batch->items[1].item.interaction.id, "bad");
  EXPECT_EQ(batch->items[1].item.interaction.app_class, "");
  EXPECT_EQ(batch->items[2].status.message(), "expected an interaction object, got a number");
  EXPECT_TRUE(batch->items[3].status.ok());
  EXPECT_EQ(batch->items[3].item.user_id, "u");
}

TEST(ReadBatchTest, ASyntaxErrorFailsTheWholeBatch) {
  Result<ParsedBatch> batch = ReadBatch("[" + Item() + "," + Item(",") + "]", false);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), Code::kBadRequest);
  EXPECT_THAT(batch.status().message(), StartsWith("the body is not valid JSON"));
}

TEST(ReadBatchTest, RefusesMoreThanMaxItems) {
  ReaderLimits limits;
  limits.max_items = 2;
  const std::string two = "[" + Item() + "," + Item() + "]";
  const std::string three = "[" + Item() + "," + Item() + "," + Item() + "]";
  EXPECT_TRUE(ReadBatch(two, false, limits).ok());
  Result<ParsedBatch> batch = ReadBatch(three, false, limits);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), Code::kTooLarge);
  EXPECT_EQ(batch.status().message(),
            "the batch has 3 items; at most 2 are accepted per request: split it");

  batch = ReadBatch(Item() + "\n" + Item() + "\n\n" + Item() + "\n", true, limits);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), Code::kTooLarge);
  EXPECT_EQ(batch.status().message(),
            "the batch has 3 items; at most 2 are accepted per request: split it");
  EXPECT_TRUE(ReadBatch(Item() + "\n\n" + Item() + "\n", true, limits).ok());

  // Items are counted before they are read: broken items do not hide an oversized batch.
  batch = ReadBatch("[1,2,3]", false, limits);
  EXPECT_EQ(batch.status().code(), Code::kTooLarge);
}

TEST(ReadBatchTest, ReadsNdjson) {
  const std::string body = Item(R"(,"id":"1")") + "\r\n\r\n" + Item(R"(,"id":"2")") + "\n  \n" +
                           Item(R"(,"id":"3")");  // no newline at the end
  Result<ParsedBatch> batch = ReadBatch(body, true);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->items.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(batch->items[i].status.ok());
    EXPECT_EQ(batch->items[i].item.interaction.id, std::to_string(i + 1));
  }
}

TEST(ReadBatchTest, NdjsonItemErrorsStayWithTheirItem) {
  Result<ParsedBatch> batch = ReadBatch(Item() + "\n" + R"({"appClass":"a"})" + "\n[1]\n", true);
  ASSERT_TRUE(batch.ok()) << batch.status().message();
  ASSERT_EQ(batch->items.size(), 3u);
  EXPECT_TRUE(batch->items[0].status.ok());
  EXPECT_EQ(batch->items[1].status.message(), "missing required property 'interactionType'");
  EXPECT_EQ(batch->items[2].status.message(), "expected an interaction object, got an array");
}

TEST(ReadBatchTest, AMalformedNdjsonLineFailsTheBatchNamingTheLine) {
  Result<ParsedBatch> batch = ReadBatch(Item() + "\n\n" + Item(",") + "\n" + Item(), true);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("line 3: the body is not valid JSON"));

  batch = ReadBatch(Item() + "\r\n" + Item(",\"locale\":\"\xff\"") + "\r\n", true);
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().message(), "line 2: the body is not valid UTF-8");

  // One item per line: an item spread over two lines is two malformed lines.
  batch = ReadBatch("{\"appClass\":\"a\",\n\"interactionType\":\"userPrompt\"}", true);
  ASSERT_FALSE(batch.ok());
  EXPECT_THAT(batch.status().message(), StartsWith("line 1: the body is not valid JSON"));
}

TEST(ReadBatchTest, ReadsLargeBatchesAndReleasesTheParser) {
  // Bigger than what a thread keeps its parser buffers for (4 MiB), read twice.
  std::string body = "[";
  const std::string item =
      Item(R"(,"body":{"contentType":"text","content":")" + std::string(1000, 'x') + "\"}");
  for (int i = 0; i < 5000; ++i) body += (i ? "," : "") + item;
  body += "]";
  for (int round = 0; round < 2; ++round) {
    Result<ParsedBatch> batch = ReadBatch(body, false);
    ASSERT_TRUE(batch.ok()) << batch.status().message();
    EXPECT_EQ(batch->items.size(), 5000u);
    EXPECT_TRUE(batch->items[4999].status.ok());
  }
  EXPECT_TRUE(ReadItem(Item()).ok());
}

}  // namespace
}  // namespace aih::model
