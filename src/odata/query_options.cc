#include "odata/query_options.h"

#include <algorithm>
#include <utility>

#include "base/ascii.h"
#include "odata/text.h"

namespace aih::odata {
namespace {

enum class Option { kFilter, kTop, kSkipToken, kSelect, kOrderBy, kCount, kSearch };

// Lowercase names: $-option names are matched ignoring case (the classic client emits $skipToken,
// others $skiptoken; Graph accepts $TOP).
constexpr std::pair<std::string_view, Option> kOptions[] = {
    {"$filter", Option::kFilter},   {"$top", Option::kTop},         {"$skiptoken", Option::kSkipToken},
    {"$select", Option::kSelect},   {"$orderby", Option::kOrderBy}, {"$count", Option::kCount},
    {"$search", Option::kSearch},
};

// Standard OData options that this function does not offer, with what to do instead.
constexpr std::pair<std::string_view, std::string_view> kUnsupported[] = {
    {"$skip", "page with @odata.nextLink"},
    {"$expand", "aiInteraction has no navigation properties; every property is already in the response"},
    {"$format", "responses are always JSON"},
    {"$levels", "aiInteraction has no navigation properties to expand"},
    {"$apply", "fetch the interactions and aggregate them on your side"},
    {"$compute", "fetch the interactions and compute on your side"},
    {"$deltatoken", "there is no delta query; page with @odata.nextLink and filter on createdDateTime"},
};

constexpr const char* kSupported = "$filter, $search, $top, $select, $orderby, $count and $skiptoken";

// The fifteen properties of aiInteraction, in Graph's order. A local list rather than
// model::IsInteractionProperty so that odata depends only on the model's data.
constexpr std::string_view kSelectable[] = {
    "id",     "sessionId", "requestId",   "appClass", "interactionType", "conversationType", "etag", "createdDateTime",
    "locale", "body",      "from",        "attachments", "contexts",     "links",            "mentions",
};
constexpr const char* kSelectableList =
    "id, sessionId, requestId, appClass, interactionType, conversationType, etag, createdDateTime, locale, body, "
    "from, attachments, contexts, links, mentions";

constexpr const char* kTokenRefused = "$skiptoken is invalid or has expired; restart from the first page";

bool StartsWithDollar(std::string_view raw_name) {
  return (!raw_name.empty() && raw_name[0] == '$') ||
         (raw_name.size() >= 3 && raw_name[0] == '%' && raw_name[1] == '2' && raw_name[2] == '4');
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status ParseTop(const std::string& value, int* top) {
  // Digits only: no sign, no fraction, no exponent. Many digits are capped rather than overflowing.
  const bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  size_t first = value.find_first_not_of('0');
  if (!digits || first == std::string::npos) {
    return Status::BadRequest("$top must be an integer from 1 to " + std::to_string(QueryOptions::kMaxTop) +
                              "; got '" + Excerpt(value) + "'");
  }
  std::string_view significant = std::string_view(value).substr(first);
  if (significant.size() > 4) {
    *top = QueryOptions::kMaxTop;
  } else {
    *top = std::min(std::stoi(std::string(significant)), QueryOptions::kMaxTop);
  }
  return Status::Ok();
}

Status ParseSelect(const std::string& value, std::vector<std::string>* select) {
  std::vector<std::string> names;
  bool all = false;
  std::string_view rest = value;
  for (;;) {
    const size_t comma = rest.find(',');
    const std::string_view name = Trim(rest.substr(0, comma));
    if (name.empty()) {
      return Status::BadRequest("$select has an empty property name (two commas in a row, or a comma at an end); "
                                "list properties separated by single commas, like id,createdDateTime");
    }
    if (name == "*") {
      all = true;
    } else if (name.find('/') != std::string_view::npos) {
      return Status::BadRequest("$select: only top-level properties can be selected; '" + Excerpt(name) +
                                "' is a nested path");
    } else if (std::find(std::begin(kSelectable), std::end(kSelectable), name) == std::end(kSelectable)) {
      std::string hint;
      for (std::string_view known : kSelectable) {
        if (AsciiLower(known) == AsciiLower(name)) hint = " (names are case-sensitive: did you mean '" + std::string(known) + "'?)";
      }
      return Status::BadRequest("$select: unknown property '" + Excerpt(name) + "'" + hint +
                                "; aiInteraction has " + kSelectableList);
    } else if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.emplace_back(name);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (all) names.clear();  // '*' selects every property, which is what an empty list means
  *select = std::move(names);
  return Status::Ok();
}

Status ParseOrderBy(const std::string& value, bool* ascending) {
  // Words separated by spaces or tabs: the property and an optional direction.
  std::vector<std::string_view> words;
  std::string_view rest = value;
  while (!(rest = Trim(rest)).empty()) {
    const size_t end = std::min(rest.find(' '), rest.find('\t'));
    words.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  const bool ok = (words.size() == 1 || words.size() == 2) && words[0] == "createdDateTime" &&
                  (words.size() == 1 || words[1] == "asc" || words[1] == "desc");
  if (!ok) {
    return Status::BadRequest("$orderby must be 'createdDateTime desc' (the default) or 'createdDateTime asc'; got '" +
                              Excerpt(value) + "'");
  }
  *ascending = words.size() == 1 || words[1] == "asc";
  return Status::Ok();
}

Status ParseCount(const std::string& value, bool* count) {
  const std::string lower = AsciiLower(value);
  if (lower != "true" && lower != "false") {
    return Status::BadRequest("$count must be true or false; got '" + Excerpt(value) + "'");
  }
  *count = lower == "true";
  return Status::Ok();
}

}  // namespace

Result<QueryOptions> QueryOptions::Parse(std::string_view raw_query) {
  if (!raw_query.empty() && raw_query.front() == '?') raw_query.remove_prefix(1);
  QueryOptions options;
  unsigned seen = 0;
  while (!raw_query.empty()) {
    const size_t amp = raw_query.find('&');
    const std::string_view pair = raw_query.substr(0, amp);
    raw_query.remove_prefix(amp == std::string_view::npos ? raw_query.size() : amp + 1);
    if (pair.empty()) continue;  // "a=1&&b=2", a trailing '&'

    const size_t eq = pair.find('=');
    const std::string_view raw_name = pair.substr(0, eq);
    const std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!StartsWithDollar(raw_name)) continue;  // model=... and other non-OData parameters: ignored

    Result<std::string> decoded_name = PercentDecode(raw_name, false);
    if (!decoded_name.ok()) return decoded_name.status().WithContext("query option name");
    const std::string& name = *decoded_name;
    if (name.empty() || name[0] != '$') continue;  // e.g. %2524top decodes to "%24top": not an option
    const std::string lower = AsciiLower(name);

    for (const auto& [unsupported, instead] : kUnsupported) {
      if (lower == unsupported) {
        return Status::BadRequest(std::string(unsupported) + " is not supported on getAllEnterpriseInteractions; " +
                                  std::string(instead));
      }
    }
    const auto known = std::find_if(std::begin(kOptions), std::end(kOptions),
                                    [&](const auto& entry) { return entry.first == lower; });
    if (known == std::end(kOptions)) {
      return Status::BadRequest("'" + Excerpt(name) + "' is not a query option of getAllEnterpriseInteractions; "
                                "the options are " + kSupported);
    }
    const Option option = known->second;
    const unsigned bit = 1u << static_cast<unsigned>(option);
    if (seen & bit) {
      return Status::BadRequest(std::string(known->first) + " is given more than once; give each query option once");
    }
    seen |= bit;

    // '+' is a space in every value (form encoding: curl's --data-urlencode, HTML forms); a plus
    // itself arrives as %2B. $skiptoken is base64url, which has no '+'.
    Result<std::string> decoded = PercentDecode(raw_value, /*plus_is_space=*/true);
    if (!decoded.ok()) return decoded.status().WithContext(std::string(known->first));
    std::string& value = *decoded;

    switch (option) {
      case Option::kFilter: {
        Result<Filter> filter = Filter::Parse(value);
        if (!filter.ok()) return filter.status();
        options.filter = std::move(*filter);
        options.filter_text = std::move(value);
        break;
      }
      case Option::kTop:
        AIH_RETURN_IF_ERROR(ParseTop(value, &options.top));
        break;
      case Option::kSkipToken:
        if (value.empty()) return Status::BadRequest(kTokenRefused);
        options.skiptoken = std::move(value);
        break;
      case Option::kSelect:
        AIH_RETURN_IF_ERROR(ParseSelect(value, &options.select));
        break;
      case Option::kOrderBy:
        AIH_RETURN_IF_ERROR(ParseOrderBy(value, &options.ascending));
        options.orderby_given = true;
        break;
      case Option::kCount:
        AIH_RETURN_IF_ERROR(ParseCount(value, &options.count));
        break;
      case Option::kSearch: {
        Result<Search> search = Search::Parse(value);
        if (!search.ok()) return search.status();
        options.search = std::make_shared<const Search>(std::move(*search));
        options.search_text = std::move(value);
        break;
      }
    }
  }
  return options;
}

std::string QueryOptions::Fingerprint() const {
  // Length-prefixed filter: no filter text can imitate the fields that follow it.
  const std::string canonical = filter ? filter->Canonical() : std::string();
  std::string out = "filter:" + std::to_string(canonical.size()) + ":" + canonical + ";select:";
  for (size_t i = 0; i < select.size(); ++i) {
    if (i > 0) out += ',';
    out += select[i];
  }
  out += ascending ? ";order:asc" : ";order:desc";
  if (search) {  // only when given: the tokens of queries without one stay valid across versions
    const std::string tree = search->ToString();
    out += ";search:" + std::to_string(tree.size()) + ":" + tree;
  }
  return out;
}

std::string QueryOptions::NextQuery(std::string_view skiptoken) const {
  std::string out;
  auto add = [&out](std::string_view name, std::string_view encoded_value) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += encoded_value;
  };
  if (filter) add("$filter", PercentEncode(filter_text));
  if (search) add("$search", PercentEncode(search_text));
  add("$top", std::to_string(top));
  if (!select.empty()) {
    std::string list;
    for (size_t i = 0; i < select.size(); ++i) {
      if (i > 0) list += ',';  // a literal ',' joins arrays, as Microsoft's clients do
      list += PercentEncode(select[i]);
    }
    add("$select", list);
  }
  if (orderby_given) add("$orderby", ascending ? "createdDateTime%20asc" : "createdDateTime%20desc");
  if (count) add("$count", "true");
  add("$skiptoken", PercentEncode(skiptoken));
  return out;
}

}  // namespace aih::odata
