// Interactions shared by the model tests.
#pragma once

#include <string>

#include "model/interaction.h"

namespace aih::model::testing {

inline Timestamp At(const char* text) { return *Timestamp::Parse(text); }

// Every property, identity and array set, with strings that need escaping.
inline Interaction FullInteraction() {
  Interaction x;
  x.id = "1768473000120";
  x.session_id = "19:session-1@thread.v2";
  x.request_id = "req-42";
  x.app_class = "IPM.SkypeTeams.Message.Copilot.Teams";
  x.interaction_type = InteractionType::kAiResponse;
  x.conversation_type = "appchat";
  x.created = At("2026-01-15T10:30:00.1234567+02:00");
  x.locale = "en-us";
  x.body = Body{"html", "<p>Line one\nLine \"two\" \\ tab\t \u00e9 \U0001F600 ctl\x01</p>"};

  FromIdentitySet from;
  from.application = ApplicationIdentity{"app-1", "Copilot", "bot"};
  from.device = DeviceIdentity{"dev-1", "Laptop"};
  from.user = UserIdentity{"7c4a1f6e-5d55-4a9b-9a4e-0c3d2b1a0f9e", "Adele Vance", "aadUser",
                           "2f8c1e3a-1111-2222-3333-444455556666"};
  x.from = from;

  x.attachments.push_back(Attachment{"att-1", "reference", "https://contoso.sharepoint.com/a.docx",
                                     "{\"type\":\"AdaptiveCard\"}", "a.docx"});
  x.attachments.push_back(Attachment{});  // every member null
  x.contexts.push_back(Context{"https://contoso.sharepoint.com/b.docx", "file", "b.docx"});
  x.links.push_back(Link{"https://learn.microsoft.com", "webLink", "Learn"});
  x.links.push_back(Link{std::nullopt, std::nullopt, "no url"});

  Mention mention;
  mention.mention_id = 0;
  mention.mention_text = "Adele";
  MentionedIdentitySet mentioned;
  mentioned.user = UserIdentity{"u-2", "Adele", "emailUser", std::nullopt};
  mentioned.application = ApplicationIdentity{"app-2", std::nullopt, "unknownFutureValue"};
  mentioned.device = DeviceIdentity{std::nullopt, std::nullopt};
  mentioned.conversation = ConversationIdentity{"19:c@thread", "General", "channel"};
  mentioned.tag = TagIdentity{"tag-1", "Engineers"};
  mention.mentioned = mentioned;
  x.mentions.push_back(mention);
  Mention bare;
  bare.mention_id = -2147483647 - 1;
  x.mentions.push_back(bare);
  return x;
}

}  // namespace aih::model::testing
