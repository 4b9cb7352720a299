#include "seed/synthetic_history.h"

#include <cstdio>

namespace aih::seed {
namespace {

// SplitMix64: tiny, fast and identical on every platform (std distributions are not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  bool Chance(int percent) { return Below(100) < percent; }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[static_cast<size_t>(Below(static_cast<int>(v.size())))]; }

 private:
  uint64_t state_;
};

const std::vector<std::string> kFirstNames = {"Avery", "Noor", "Mateo", "Ingrid", "Kenji", "Amara", "Lucas",
                                              "Zofia", "Priya", "Tomás", "Chloé", "Oluwaseun", "Björn", "Mei"};
const std::vector<std::string> kLastNames = {"Kim", "Haddad", "García", "Larsen", "Tanaka", "Okafor", "Silva",
                                             "Nowak", "Raman", "Müller", "Dubois", "Adeyemi", "Svensson", "Chen"};
const std::vector<std::string> kLocales = {"en-us", "en-gb", "de-de", "fr-fr", "ja-jp", "es-es", "pt-br"};
const std::vector<std::string> kTopics = {
    "the Q3 revenue forecast", "the onboarding checklist for new engineers", "our data retention policy",
    "the vendor security questionnaire", "next week's all-hands agenda", "the customer escalation from Fabrikam",
    "the migration plan to the new CRM", "the accessibility review of the portal", "the board deck",
    "the incident report from Tuesday's outage", "travel expense rules for conferences", "the hiring plan"};
const std::vector<std::string> kAsks = {
    "Summarize", "Draft an email about", "List the open risks in", "What changed in", "Create a table from",
    "Find the decisions made about", "Write three talking points on", "Translate the summary of"};
const std::vector<std::string> kFiles = {"Forecast-FY26.xlsx", "Onboarding.docx", "Retention-Policy.pdf",
                                         "Security-Questionnaire.xlsx", "AllHands.pptx", "Escalation-Notes.docx",
                                         "CRM-Migration.loop", "Accessibility-Review.docx", "Board-Deck.pptx"};

std::string Escape(const std::string& s) {  // for text embedded in the adaptive card's JSON string
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

const std::vector<std::string>& FirstPartyAppClasses() {
  static const std::vector<std::string> kApps = {
      "IPM.SkypeTeams.Message.Copilot.Teams", "IPM.SkypeTeams.Message.Copilot.Word",
      "IPM.SkypeTeams.Message.Copilot.Excel", "IPM.SkypeTeams.Message.Copilot.PowerPoint",
      "IPM.SkypeTeams.Message.Copilot.Outlook", "IPM.SkypeTeams.Message.Copilot.Loop",
      "IPM.SkypeTeams.Message.Copilot.BizChat", "IPM.SkypeTeams.Message.Copilot.WebChat"};
  return kApps;
}

std::string DeterministicGuid(uint64_t seed, uint64_t counter) {
  Random r(seed * 0x100000001b3ull + counter);
  uint64_t a = r.Next(), b = r.Next();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | (b >> 48 & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffull));
  return buf;
}

SyntheticHistory::SyntheticHistory(SyntheticOptions options) : options_(std::move(options)) {
  if (options_.app_classes.empty()) options_.app_classes = FirstPartyAppClasses();
  Random r(options_.seed);
  for (int i = 0; i < options_.users; ++i) {
    SyntheticUser u;
    u.id = DeterministicGuid(options_.seed, static_cast<uint64_t>(i));
    const std::string& first = r.Pick(kFirstNames);
    const std::string& last = r.Pick(kLastNames);
    u.display_name = first + " " + last;
    u.user_principal_name = "user" + std::to_string(i + 1) + "@" + options_.domain;
    users_.push_back(std::move(u));
  }
}

std::vector<model::WriteItem> SyntheticHistory::InteractionsOf(int user_index) const {
  const SyntheticUser& user = users_.at(static_cast<size_t>(user_index));
  Random r(options_.seed ^ (0x5851f42d4c957f2dull * static_cast<uint64_t>(user_index + 1)));
  std::vector<model::WriteItem> out;
  out.reserve(static_cast<size_t>(options_.interactions_per_user));
  int64_t ms = options_.start_unix_millis + r.Below(3'600'000);
  std::string session, app, locale, conversation_type;
  int turns_left = 0;
  uint64_t counter = 0;
  while (static_cast<int>(out.size()) < options_.interactions_per_user) {
    if (turns_left == 0) {  // a new session in some app
      session = DeterministicGuid(options_.seed + 7, (static_cast<uint64_t>(user_index) << 32) | counter++);
      app = r.Pick(options_.app_classes);
      locale = r.Chance(70) ? "en-us" : r.Pick(kLocales);
      conversation_type = app.find("BizChat") != std::string::npos ? "bizchat" : "appchat";
      turns_left = 1 + r.Below(6);
      ms += 600'000 + r.Below(86'400'000);
    }
    --turns_left;
    const std::string topic = r.Pick(kTopics);
    const std::string file = r.Pick(kFiles);
    const std::string request = DeterministicGuid(options_.seed + 13, (static_cast<uint64_t>(user_index) << 32) | counter++);
    const SyntheticUser& colleague = users_[static_cast<size_t>(r.Below(static_cast<int>(users_.size())))];

    // The prompt.
    model::WriteItem prompt;
    prompt.user_id = user.id;
    model::Interaction& p = prompt.interaction;
    ms += 5'000 + r.Below(120'000);
    p.created.ticks = ms * 10'000 + r.Below(10'000);
    p.created.fraction_digits = 7;
    p.id = std::to_string(ms) + "-" + std::to_string(counter++);
    p.etag = p.id;
    p.session_id = session;
    p.request_id = request;
    p.app_class = app;
    p.interaction_type = model::InteractionType::kUserPrompt;
    p.conversation_type = conversation_type;
    p.locale = locale;
    std::string ask = r.Pick(kAsks) + " " + topic + " in " + file + " and share it with " + colleague.display_name + ".";
    p.body = model::Body{"text", ask};
    p.from = model::FromIdentitySet{std::nullopt, std::nullopt,
                                    model::UserIdentity{user.id, user.display_name, std::string("aadUser"), options_.tenant_id}};
    p.contexts.push_back(model::Context{"https://contoso.sharepoint.com/sites/team/Shared%20Documents/" + file,
                                        std::string("file"), file});
    if (r.Chance(40)) {
      model::Mention m;
      m.mention_id = 0;
      m.mention_text = colleague.display_name;
      m.mentioned = model::MentionedIdentitySet{};
      m.mentioned->user = model::UserIdentity{colleague.id, colleague.display_name, std::string("aadUser"), options_.tenant_id};
      p.mentions.push_back(std::move(m));
    }
    if (r.Chance(10)) {
      model::Mention m;
      m.mention_id = static_cast<int32_t>(p.mentions.size());
      m.mention_text = "General";
      m.mentioned = model::MentionedIdentitySet{};
      m.mentioned->conversation = model::ConversationIdentity{"19:general@thread.tacv2", std::string("General"),
                                                              std::string("channel")};
      p.mentions.push_back(std::move(m));
    }
    out.push_back(std::move(prompt));
    if (static_cast<int>(out.size()) == options_.interactions_per_user) break;

    // The response.
    model::WriteItem response;
    response.user_id = user.id;
    model::Interaction& a = response.interaction;
    ms += 1'000 + r.Below(20'000);
    a.created.ticks = ms * 10'000 + r.Below(10'000);
    a.created.fraction_digits = 7;
    a.id = std::to_string(ms) + "-" + std::to_string(counter++);
    a.etag = a.id;
    a.session_id = session;
    a.request_id = request;
    a.app_class = app;
    a.interaction_type = model::InteractionType::kAiResponse;
    a.conversation_type = conversation_type;
    a.locale = locale;
    const bool html = r.Chance(50);
    std::string answer = "Here is what I found about " + topic + " in " + file +
                         ": the owners agreed on the next steps, two risks remain open, and the deadline moved "
                         "to the end of the month. I drafted a note for " + colleague.display_name + ".";
    a.body = html ? model::Body{"html", "<p>" + answer + "</p><ul><li>Next steps agreed</li><li>Two open risks</li></ul>"}
                  : model::Body{"text", answer};
    a.from = model::FromIdentitySet{
        model::ApplicationIdentity{std::string("fb8d773d-7ef8-4ec0-a117-179f88add510"), std::string("Microsoft 365 Chat"),
                                   std::string("bot")},
        std::nullopt, std::nullopt};
    a.attachments.push_back(model::Attachment{
        DeterministicGuid(options_.seed + 17, counter++), std::string("application/vnd.microsoft.card.adaptive"),
        std::nullopt,
        "{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"" +
            Escape(topic) + "\",\"weight\":\"bolder\"},{\"type\":\"TextBlock\",\"text\":\"Source: " + Escape(file) +
            "\",\"wrap\":true}]}",
        std::nullopt});
    a.links.push_back(model::Link{"https://contoso.sharepoint.com/sites/team/Shared%20Documents/" + file,
                                  std::string("file"), file});
    a.contexts.push_back(model::Context{"https://contoso.sharepoint.com/sites/team/Shared%20Documents/" + file,
                                        std::string("file"), file});
    out.push_back(std::move(response));
  }
  return out;
}

}  // namespace aih::seed
