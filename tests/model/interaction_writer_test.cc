#include "model/interaction_writer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "model/interaction_reader.h"
#include "model/sample_interaction.h"

namespace aih::model {
namespace {

using testing::At;
using testing::FullInteraction;
using ::testing::HasSubstr;

Interaction SmallInteraction() {
  Interaction x;
  x.id = "1768473000120";
  x.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  x.interaction_type = InteractionType::kUserPrompt;
  x.created = At("2026-01-15T10:30:00.120+02:00");
  x.body = Body{"text", "Hello \"world\"\n"};
  return x;
}

TEST(InteractionWriterTest, WritesTheExactCanonicalBytesOfASmallInteraction) {
  EXPECT_EQ(WriteInteraction(SmallInteraction()),
            R"({"id":"1768473000120","sessionId":null,"requestId":null,)"
            R"("appClass":"IPM.SkypeTeams.Message.Copilot.Teams","interactionType":"userPrompt",)"
            R"("conversationType":null,"etag":"1768473000120",)"
            R"("createdDateTime":"2026-01-15T08:30:00.120Z","locale":null,)"
            R"("body":{"contentType":"text","content":"Hello \"world\"\n"},"from":null,)"
            R"("attachments":[],"contexts":[],"links":[],"mentions":[]})");
}

TEST(InteractionWriterTest, WritesIdentitySetsWithTheirODataTypes) {
  Interaction x = SmallInteraction();
  x.body.reset();
  FromIdentitySet from;
  from.user = UserIdentity{"u", "Adele", "aadUser", "t"};
  from.device = DeviceIdentity{"d", std::nullopt};
  x.from = from;
  Mention mention;
  mention.mention_id = -7;
  MentionedIdentitySet mentioned;
  mentioned.application = ApplicationIdentity{"a", std::nullopt, "bot"};
  mentioned.conversation = ConversationIdentity{"c", "General", "channel"};
  mentioned.tag = TagIdentity{"g", "Tag"};
  mention.mentioned = mentioned;
  x.mentions.push_back(mention);
  x.attachments.push_back(Attachment{"1", std::nullopt, std::nullopt, "{}", "n"});
  x.contexts.push_back(Context{"r", "file", std::nullopt});
  x.links.push_back(Link{"https://x", "web", "X"});

  const std::string json = WriteInteraction(x);
  EXPECT_THAT(json,
              HasSubstr(R"("from":{"@odata.type":"#microsoft.graph.chatMessageFromIdentitySet",)"
                        R"("application":null,"device":{"id":"d","displayName":null},)"
                        R"("user":{"@odata.type":"#microsoft.graph.teamworkUserIdentity","id":"u",)"
                        R"("displayName":"Adele","userIdentityType":"aadUser","tenantId":"t"}})"));
  EXPECT_THAT(
      json,
      HasSubstr(
          R"("mentions":[{"mentionId":-7,"mentionText":null,"mentioned":{)"
          R"("@odata.type":"#microsoft.graph.aiInteractionMentionedIdentitySet",)"
          R"("application":{"@odata.type":"#microsoft.graph.teamworkApplicationIdentity","id":"a",)"
          R"("displayName":null,"applicationIdentityType":"bot"},"device":null,"user":null,)"
          R"("conversation":{"@odata.type":"#microsoft.graph.teamworkConversationIdentity","id":"c",)"
          R"("displayName":"General","conversationIdentityType":"channel"},)"
          R"("tag":{"@odata.type":"#microsoft.graph.teamworkTagIdentity","id":"g","displayName":"Tag"}}}])"));
  EXPECT_THAT(json, HasSubstr(R"("attachments":[{"attachmentId":"1","contentType":null,)"
                              R"("contentUrl":null,"content":"{}","name":"n"}])"));
  EXPECT_THAT(json, HasSubstr(R"("contexts":[{"contextReference":"r","contextType":"file",)"
                              R"("displayName":null}])"));
  EXPECT_THAT(json,
              HasSubstr(R"("links":[{"linkUrl":"https://x","linkType":"web","displayName":"X"}])"));
}

TEST(InteractionWriterTest, WritesAllFifteenPropertiesInGraphsOrder) {
  const std::string json = WriteInteraction(FullInteraction());
  size_t last = 0;
  for (const char* name : kInteractionProperties) {
    const size_t at = json.find("\"" + std::string(name) + "\":");
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GT(at, last) << name << " is out of order";
    last = at;
  }
}

TEST(InteractionWriterTest, EtagIsTheIdUntilSet) {
  Interaction x = SmallInteraction();
  EXPECT_THAT(WriteInteraction(x), HasSubstr(R"("etag":"1768473000120")"));
  x.etag = "1768473000120-2";
  EXPECT_THAT(WriteInteraction(x), HasSubstr(R"("etag":"1768473000120-2")"));
}

TEST(InteractionWriterTest, IsDeterministic) {
  EXPECT_EQ(WriteInteraction(FullInteraction()), WriteInteraction(FullInteraction()));
}

TEST(InteractionWriterTest, EscapesStringsAsJsonRequires) {
  std::string out;
  AppendJsonString(out,
                   std::string_view("q\" b\\ \b\f\n\r\t \x01\x1f\x7f \u00e9\U0001F600 \0z", 25));
  EXPECT_EQ(out, "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\x7f \u00e9\U0001F600 \\u0000z\"");
  out.clear();
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
}

// The byte-at-a-time definition the writer's word-at-a-time loop must agree with.
std::string NaiveJsonString(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

TEST(InteractionWriterTest, EscapesEveryByteValueAtEveryPosition) {
  for (size_t length = 1; length <= 24; ++length) {
    for (size_t at = 0; at < length; ++at) {
      for (int c = 0; c < 256; ++c) {
        for (bool second : {false, true}) {
          std::string text(length, 'a');
          text[at] = static_cast<char>(c);
          if (second && at + 1 < length) text[at + 1] = '"';  // two escapes in one word
          std::string out;
          AppendJsonString(out, text);
          ASSERT_EQ(out, NaiveJsonString(text))
              << "length " << length << " at " << at << " byte " << c;
        }
      }
    }
  }
}

TEST(InteractionWriterTest, EveryControlCharacterRoundTrips) {
  Interaction x = SmallInteraction();
  std::string all;
  for (int c = 0; c < 0x80; ++c) all += static_cast<char>(c);
  x.body->content = all;
  Result<WriteItem> back = ReadItem(WriteInteraction(x));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction.body->content, all);
}

TEST(InteractionWriterTest, WriteSelectedWritesOnlyTheNamedPropertiesInCanonicalOrder) {
  const Interaction x = SmallInteraction();
  EXPECT_EQ(WriteSelected(x, {"mentions", "createdDateTime", "id"}),
            R"({"id":"1768473000120","createdDateTime":"2026-01-15T08:30:00.120Z","mentions":[]})");
  EXPECT_EQ(WriteSelected(x, {"body", "body"}),
            R"({"body":{"contentType":"text","content":"Hello \"world\"\n"}})");
  EXPECT_EQ(WriteSelected(x, {}), "{}");
  EXPECT_EQ(WriteSelected(x, {"notAProperty", "locale"}), R"({"locale":null})");
  std::vector<std::string> all(std::begin(kInteractionProperties),
                               std::end(kInteractionProperties));
  EXPECT_EQ(WriteSelected(x, all), WriteInteraction(x));
}

TEST(InteractionWriterTest, PrependAnnotationInsertsTheFirstMember) {
  EXPECT_EQ(PrependAnnotation(R"({"id":"1"})", "@aihistory.userId", "u-1"),
            R"({"@aihistory.userId":"u-1","id":"1"})");
  EXPECT_EQ(PrependAnnotation("{}", "@a", "v\""), R"({"@a":"v\""})");
  EXPECT_EQ(PrependAnnotation(" { } ", "@a", "v"), R"( {"@a":"v" } )");
}

TEST(InteractionWriterTest, RoundTripsAFullyPopulatedInteraction) {
  const Interaction x = FullInteraction();
  Result<WriteItem> back = ReadItem(WriteInteraction(x));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction, x);
  EXPECT_EQ(back->user_id, "");
  // Byte for byte too: the canonical form is a fixed point.
  EXPECT_EQ(WriteInteraction(back->interaction), WriteInteraction(x));
}

TEST(InteractionWriterTest, RoundTripsWithTheOwnerAnnotation) {
  const Interaction x = FullInteraction();
  Result<WriteItem> back =
      ReadItem(PrependAnnotation(WriteInteraction(x), "@aihistory.userId", "user-7"));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction, x);
  EXPECT_EQ(back->user_id, "user-7");
}

TEST(InteractionWriterTest, RoundTripDropsTheServerOwnedEtag) {
  Interaction x = FullInteraction();
  x.etag = "changed-3";
  Result<WriteItem> back = ReadItem(WriteInteraction(x));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction.etag, "");
  back->interaction.etag = x.etag;
  EXPECT_EQ(back->interaction, x);
}

TEST(InteractionWriterTest, StoredJsonReadsBackWithItsEtag) {
  Interaction x = FullInteraction();
  x.etag = "1768473000120.3";
  Result<WriteItem> back = ReadStoredItem(WriteInteraction(x));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction, x);
  EXPECT_EQ(WriteSelected(back->interaction, {"etag"}), R"({"etag":"1768473000120.3"})");
  // Everything else is read as ReadItem reads it.
  EXPECT_THAT(ReadStoredItem(R"({"appClass":"a"})").status().message(),
              HasSubstr("missing required property 'interactionType'"));
}

TEST(InteractionWriterTest, RoundTripsAMinimalInteraction) {
  Interaction x;
  x.id = "1";
  x.app_class = "a";
  x.interaction_type = InteractionType::kUnknownFutureValue;
  x.created = At("1601-01-01T00:00:00Z");
  Result<WriteItem> back = ReadItem(WriteInteraction(x));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->interaction, x);
}

}  // namespace
}  // namespace aih::model
