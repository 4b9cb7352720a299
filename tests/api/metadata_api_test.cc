// $metadata: the CSDL document is well-formed XML, consistent in itself, served without a token, and
// declares, with the right type, every property that the code's own writers emit: the canonical
// aiInteraction JSON (model/interaction_writer.h), an export page, the interactionHistory entity and
// a subscription, each taken from real output rather than from a list kept here.
#include <expat.h>
#include <simdjson.h>

#include <map>
#include <set>

#include "api/metadata_resource.h"
#include "api_fixture.h"
#include "model/interaction_writer.h"
#include "model/sample_interaction.h"
#include "model/timestamp.h"

namespace aih::testing {
namespace {

// A minimal DOM of the XML document, built with expat.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<std::unique_ptr<XmlElement>> children;
  const std::string& Attr(const std::string& key) const {
    static const std::string kNone;
    auto it = attributes.find(key);
    return it == attributes.end() ? kNone : it->second;
  }
};

struct XmlParse {
  std::unique_ptr<XmlElement> root;
  std::vector<XmlElement*> open;
  std::string error;
};

// Parses `xml`; on failure returns null and sets `error` to expat's message and line.
std::unique_ptr<XmlElement> ParseXml(std::string_view xml, std::string* error) {
  XmlParse state;
  XML_Parser parser = XML_ParserCreate(nullptr);
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto* s = static_cast<XmlParse*>(data);
        auto element = std::make_unique<XmlElement>();
        element->name = name;
        for (int i = 0; attrs[i]; i += 2) element->attributes[attrs[i]] = attrs[i + 1];
        XmlElement* raw = element.get();
        if (s->open.empty()) {
          s->root = std::move(element);
        } else {
          s->open.back()->children.push_back(std::move(element));
        }
        s->open.push_back(raw);
      },
      [](void* data, const XML_Char*) { static_cast<XmlParse*>(data)->open.pop_back(); });
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), /*isFinal=*/1) == XML_STATUS_OK;
  if (!ok) {
    *error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
             std::to_string(XML_GetCurrentLineNumber(parser));
  }
  XML_ParserFree(parser);
  return ok ? std::move(state.root) : nullptr;
}

// The schema's types as the checks need them.
struct Property {
  std::string type;
  bool nullable = true;
};
struct TypeDef {
  std::string kind;  // EntityType, ComplexType, EnumType
  std::string base;  // unqualified
  std::map<std::string, Property> properties;
  std::map<std::string, std::string> navigation;  // name -> type
  std::set<std::string> members;                  // enums
};

class Model {
 public:
  // Reads the Schema of `root`; problems found on the way go to `errors`.
  explicit Model(const XmlElement& root) {
    const XmlElement* schema = nullptr;
    for (auto& ds : root.children) {
      for (auto& s : ds->children) {
        if (s->name == "Schema") schema = s.get();
      }
    }
    if (schema == nullptr) {
      errors.push_back("no Schema element under edmx:DataServices");
      return;
    }
    namespace_ = schema->Attr("Namespace");
    alias_ = schema->Attr("Alias");
    for (auto& e : schema->children) {
      if (e->name == "EntityType" || e->name == "ComplexType" || e->name == "EnumType") {
        TypeDef& t = types[e->Attr("Name")];
        t.kind = e->name;
        t.base = Unqualified(e->Attr("BaseType"));
        for (auto& c : e->children) {
          if (c->name == "Property") t.properties[c->Attr("Name")] = Property{c->Attr("Type"), c->Attr("Nullable") != "false"};
          if (c->name == "NavigationProperty") t.navigation[c->Attr("Name")] = c->Attr("Type");
          if (c->name == "Member") t.members.insert(c->Attr("Name"));
        }
      } else if (e->name == "Function") {
        functions[e->Attr("Name")] = e.get();
      } else if (e->name == "EntityContainer") {
        for (auto& c : e->children) {
          container[c->Attr("Name")] = c->name == "EntitySet" ? "Collection(" + c->Attr("EntityType") + ")" : c->Attr("Type");
        }
      }
    }
  }

  // "graph.x" or "microsoft.graph.x" -> "x"; anything else as is.
  std::string Unqualified(const std::string& name) const {
    for (const std::string& prefix : {namespace_ + ".", alias_ + "."}) {
      if (prefix.size() > 1 && name.rfind(prefix, 0) == 0) return name.substr(prefix.size());
    }
    return name;
  }

  // Whether `type` (a qualified name, Edm primitive or Collection of either) resolves.
  bool Resolves(const std::string& type) const {
    if (type.rfind("Collection(", 0) == 0) return Resolves(type.substr(11, type.size() - 12));
    if (type.rfind("Edm.", 0) == 0) return true;
    return type != Unqualified(type) && types.count(Unqualified(type)) > 0;
  }

  bool DerivesFrom(std::string type, const std::string& ancestor) const {
    while (!type.empty()) {
      if (type == ancestor) return true;
      auto it = types.find(type);
      type = it == types.end() ? "" : it->second.base;
    }
    return false;
  }

  // The property `name` of `type` or of one of its base types; null if none.
  const Property* FindProperty(std::string type, const std::string& name) const {
    while (!type.empty()) {
      auto it = types.find(type);
      if (it == types.end()) return nullptr;
      auto p = it->second.properties.find(name);
      if (p != it->second.properties.end()) return &p->second;
      type = it->second.base;
    }
    return nullptr;
  }

  std::map<std::string, TypeDef> types;
  std::map<std::string, const XmlElement*> functions;
  std::map<std::string, std::string> container;  // entity sets and singletons -> their type
  std::vector<std::string> errors;

 private:
  std::string namespace_, alias_;
};

// Checks a JSON value against a declared type; appends every mismatch to `errors`.
class Checker {
 public:
  Checker(const Model& model, std::vector<std::string>& errors) : model_(model), errors_(errors) {}

  void Check(simdjson::dom::element v, const std::string& declared, bool nullable, const std::string& path) {
    if (declared.rfind("Collection(", 0) == 0) {
      if (!v.is_array()) return Fail(path, "is not an array but the metadata says " + declared);
      size_t i = 0;
      for (auto item : v.get_array()) Check(item, declared.substr(11, declared.size() - 12), false, path + "/" + std::to_string(i++));
      return;
    }
    if (v.is_null()) {
      if (!nullable) Fail(path, "is null but declared Nullable=\"false\"");
      return;
    }
    if (declared == "Edm.String") {
      if (!v.is_string()) Fail(path, "is not a string but declared Edm.String");
    } else if (declared == "Edm.DateTimeOffset") {
      std::string_view text;
      if (v.get_string().get(text) != simdjson::SUCCESS || !model::Timestamp::Parse(text).ok()) {
        Fail(path, "is not a DateTimeOffset string");
      }
    } else if (declared == "Edm.Int32") {
      int64_t n = 0;
      if (v.get_int64().get(n) != simdjson::SUCCESS || n < INT32_MIN || n > INT32_MAX) Fail(path, "is not an Int32");
    } else if (declared == "Edm.Boolean") {
      if (!v.is_bool()) Fail(path, "is not a boolean but declared Edm.Boolean");
    } else if (declared.rfind("Edm.", 0) == 0) {
      Fail(path, "has a primitive type this check does not know: " + declared);
    } else {
      CheckStructured(v, model_.Unqualified(declared), path);
    }
  }

  // Every member of object `v`, of declared type `type` (or the type its @odata.type names).
  void CheckStructured(simdjson::dom::element v, std::string type, const std::string& path) {
    auto def = model_.types.find(type);
    if (def == model_.types.end()) return Fail(path, "has an undeclared type " + type);
    if (def->second.kind == "EnumType") {
      std::string_view text;
      if (v.get_string().get(text) != simdjson::SUCCESS) return Fail(path, "is not an enum string of " + type);
      if (def->second.members.count(std::string(text)) == 0) Fail(path, "'" + std::string(text) + "' is no member of " + type);
      return;
    }
    simdjson::dom::object object;
    if (v.get_object().get(object) != simdjson::SUCCESS) return Fail(path, "is not an object of type " + type);
    std::string_view odata_type;
    if (object["@odata.type"].get_string().get(odata_type) == simdjson::SUCCESS) {
      if (odata_type.empty() || odata_type[0] != '#') return Fail(path, "has a malformed @odata.type");
      std::string actual = model_.Unqualified(std::string(odata_type.substr(1)));
      if (!model_.DerivesFrom(actual, type)) return Fail(path, "@odata.type " + actual + " is not declared as a " + type);
      type = actual;
    }
    seen_[type];
    for (auto [key, value] : object) {
      std::string name(key);
      if (name[0] == '@') continue;  // annotations
      const Property* p = model_.FindProperty(type, name);
      if (p == nullptr) {
        Fail(path + "/" + name, "is not declared on " + type);
        continue;
      }
      seen_[type].insert(name);
      Check(value, p->type, p->nullable, path + "/" + name);
    }
  }

  // The property names met on objects of each type.
  const std::map<std::string, std::set<std::string>>& seen() const { return seen_; }

 private:
  void Fail(const std::string& path, const std::string& what) { errors_.push_back(path + " " + what); }
  const Model& model_;
  std::vector<std::string>& errors_;
  std::map<std::string, std::set<std::string>> seen_;
};

class MetadataApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    std::string error;
    root_ = ParseXml(MetadataDocument(), &error);
    ASSERT_NE(root_, nullptr) << "$metadata is not well-formed XML: " << error;
    model_ = std::make_unique<Model>(*root_);
    ASSERT_TRUE(model_->errors.empty()) << model_->errors.front();
  }

  static std::string_view MetadataDocument() { return api::MetadataDocument(); }

  // Checks `json` (an entity or a collection response) against `type`; returns the mismatches.
  std::vector<std::string> CheckJson(const std::string& json, const std::string& type) {
    std::vector<std::string> errors;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(json).get(doc) != simdjson::SUCCESS) return {"not JSON: " + json};
    Checker checker(*model_, errors);
    checker.Check(doc, type, false, "");
    seen_ = checker.seen();
    return errors;
  }

  // The type an @odata.context URL names after `$metadata#`, resolved through the container.
  std::string ContextType(const std::string& context) {
    const std::string marker = "/$metadata#";
    auto at = context.find(marker);
    if (at == std::string::npos) return "(no $metadata# in " + context + ")";
    std::string fragment = context.substr(at + marker.size());
    if (fragment.rfind("Collection(", 0) == 0) return fragment;
    // A path: an entity set or singleton, then navigation properties; keys in parentheses.
    std::string type;
    size_t start = 0;
    bool first = true;
    while (start <= fragment.size()) {
      size_t end = fragment.find('/', start);
      if (end == std::string::npos) end = fragment.size();
      std::string segment = fragment.substr(start, end - start);
      start = end + 1;
      if (segment == "$entity") {
        if (type.rfind("Collection(", 0) == 0) type = type.substr(11, type.size() - 12);
        break;
      }
      bool keyed = false;
      if (auto paren = segment.find('('); paren != std::string::npos) {
        segment.resize(paren);
        keyed = true;
      }
      if (first) {
        auto it = model_->container.find(segment);
        if (it == model_->container.end()) return "(no entity set or singleton " + segment + ")";
        type = it->second;
        first = false;
      } else {
        std::string owner = model_->Unqualified(type.rfind("Collection(", 0) == 0 ? type.substr(11, type.size() - 12) : type);
        std::string found;
        for (std::string t = owner; !t.empty() && found.empty();) {
          auto def = model_->types.find(t);
          if (def == model_->types.end()) break;
          auto nav = def->second.navigation.find(segment);
          if (nav != def->second.navigation.end()) found = nav->second;
          t = def->second.base;
        }
        if (found.empty()) return "(no navigation property " + segment + " on " + owner + ")";
        type = found;
      }
      if (keyed && type.rfind("Collection(", 0) == 0) type = type.substr(11, type.size() - 12);
    }
    return type;
  }

  std::unique_ptr<XmlElement> root_;
  std::unique_ptr<Model> model_;
  std::map<std::string, std::set<std::string>> seen_;
};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += l + "\n";
  return out;
}

TEST_P(MetadataApiTest, IsServedWithoutATokenForBothVersions) {
  for (const char* path : {"/v1.0/$metadata", "/beta/$metadata", "/v1.0/%24metadata"}) {
    auto r = Get(path, "");
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/xml") << path;
    EXPECT_EQ(r.body, MetadataDocument()) << path;
  }
  EXPECT_EQ(Get("/v1.0/$metadata/more", "").status, 404);
}

TEST_P(MetadataApiTest, EveryTypeItNamesIsDeclared) {
  std::vector<std::string> errors;
  auto check = [&](const std::string& type, const std::string& where) {
    if (!type.empty() && !model_->Resolves(type)) errors.push_back(where + " names an undeclared type " + type);
  };
  for (auto& [name, t] : model_->types) {
    if (!t.base.empty() && model_->types.count(t.base) == 0) errors.push_back(name + " derives from an undeclared " + t.base);
    for (auto& [p, prop] : t.properties) check(prop.type, name + "." + p);
    for (auto& [n, type] : t.navigation) check(type, name + "." + n);
  }
  for (auto& [name, f] : model_->functions) {
    for (auto& c : f->children) check(c->Attr("Type"), "function " + name);
  }
  for (auto& [name, type] : model_->container) check(type, "container member " + name);
  EXPECT_TRUE(errors.empty()) << Join(errors);
  // The function the export API is: bound to the history, returning interactions.
  ASSERT_EQ(model_->functions.count("getAllEnterpriseInteractions"), 1u);
  const XmlElement& f = *model_->functions["getAllEnterpriseInteractions"];
  EXPECT_EQ(f.Attr("IsBound"), "true");
  std::set<std::string> types;
  for (auto& c : f.children) types.insert(c->Attr("Type"));
  EXPECT_EQ(types, (std::set<std::string>{"graph.aiInteractionHistory", "Collection(graph.aiInteraction)"}));
}

TEST_P(MetadataApiTest, DeclaresEveryPropertyTheInteractionWriterEmits) {
  // Everything set, and its opposite: everything that may be absent absent (nulls must be nullable).
  model::Interaction full = model::testing::FullInteraction();
  model::Mention no_id;
  no_id.mention_text = "someone";
  full.mentions.push_back(no_id);
  model::Interaction bare;
  bare.id = "1768473000999";
  bare.app_class = "IPM.SkypeTeams.Message.Copilot.Word";
  bare.created = model::testing::At("2026-01-15T10:30:00Z");
  std::set<std::string> declared;
  for (const auto& [name, p] : model_->types.at("aiInteraction").properties) declared.insert(name);
  declared.insert("id");  // from entity
  for (const model::Interaction& x : {full, bare}) {
    auto errors = CheckJson(model::WriteInteraction(x), "graph.aiInteraction");
    EXPECT_TRUE(errors.empty()) << Join(errors);
    // And the other way round: Graph writes every declared property of an interaction.
    EXPECT_EQ(seen_["aiInteraction"], declared);
  }
  // The full one reached every identity type the writer knows.
  auto errors = CheckJson(model::WriteInteraction(full), "graph.aiInteraction");
  for (const char* type : {"chatMessageFromIdentitySet", "aiInteractionMentionedIdentitySet", "teamworkUserIdentity",
                           "teamworkApplicationIdentity", "teamworkConversationIdentity", "teamworkTagIdentity",
                           "identity", "itemBody", "aiInteractionAttachment", "aiInteractionContext",
                           "aiInteractionLink", "aiInteractionMention"}) {
    EXPECT_EQ(seen_.count(type), 1u) << type << " never met: the sample does not exercise it";
  }
}

TEST_P(MetadataApiTest, AnExportPageAndTheHistoryEntityMatchTheirContext) {
  model::Interaction x = model::testing::FullInteraction();
  std::string item = model::WriteInteraction(x);
  auto w = Post("/v1.0/copilot/users/u1/interactionHistory/interactions", item);
  ASSERT_EQ(w.status, 200) << w.body;
  for (const char* version : {"v1.0", "beta"}) {
    auto page = Get(std::string("/") + version + "/copilot/users/u1/interactionHistory/getAllEnterpriseInteractions");
    ASSERT_EQ(page.status, 200) << page.body;
    std::string type = ContextType(JsonAt(page.body, "@odata.context"));
    EXPECT_EQ(type, "Collection(microsoft.graph.aiInteraction)");
    simdjson::dom::parser parser;
    simdjson::dom::element doc = parser.parse(page.body);
    std::string value = simdjson::minify(doc["value"]);
    auto errors = CheckJson(value, type);
    EXPECT_TRUE(errors.empty()) << Join(errors);
    EXPECT_EQ(JsonArraySize(page.body, "value"), 1u);

    auto history = Get(std::string("/") + version + "/copilot/users/u1/interactionHistory");
    ASSERT_EQ(history.status, 200) << history.body;
    std::string history_type = ContextType(JsonAt(history.body, "@odata.context"));
    EXPECT_EQ(model_->Unqualified(history_type), "aiInteractionHistory") << JsonAt(history.body, "@odata.context");
    errors = CheckJson(history.body, history_type);
    EXPECT_TRUE(errors.empty()) << Join(errors);
  }
}

TEST_P(MetadataApiTest, DeclaresEveryPropertyOfASubscription) {
  store::Subscription s;
  s.tenant_id = "tenant-a";
  s.id = "0f5b2c3e-8a61-4f44-9d5e-1d7c2b3a4e5f";
  s.app_id = "exporter-app";
  s.creator_id = "exporter-app";
  s.resource = "/copilot/interactionHistory/getAllEnterpriseInteractions";
  s.change_types = 1;
  s.notification_url = "https://receiver.example/notify";
  s.client_state = "secret";
  s.expiration_ms = model::testing::At("2099-01-01T00:00:00Z").UnixMillis();
  s.created_ms = 1;
  ASSERT_TRUE(store_->subscriptions().Create(s, store::SubscriptionQuotas{}, 1).ok());
  auto r = Get("/v1.0/subscriptions/" + s.id);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string type = ContextType(JsonAt(r.body, "@odata.context"));
  EXPECT_EQ(model_->Unqualified(type), "subscription") << JsonAt(r.body, "@odata.context");
  auto errors = CheckJson(r.body, type);
  EXPECT_TRUE(errors.empty()) << Join(errors);
  EXPECT_GT(seen_["subscription"].size(), 10u);
  auto list = Get("/v1.0/subscriptions");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(ContextType(JsonAt(list.body, "@odata.context")), "Collection(graph.subscription)");
}

INSTANTIATE_TEST_SUITE_P(Engines, MetadataApiTest, ::testing::ValuesIn(StoreEngines()), EngineName);

}  // namespace
}  // namespace aih::testing
