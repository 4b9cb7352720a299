#include "directory/user_list.h"

#include <algorithm>
#include <cstring>

#include "base/ascii.h"
#include "base/utf8.h"
#include "directory/identifiers.h"
#include "directory/json_fields.h"
#include "model/interaction_writer.h"

namespace aih::directory {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// Splits a servicePlans cell ("a;b c") into its plan ids.
std::vector<std::string> SplitPlans(std::string_view cell) {
  std::vector<std::string> out;
  std::string current;
  for (char c : cell) {
    if (c == ';' || c == ' ' || c == ',' || c == '\t') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// One CSV record: its fields and the line it starts on.
struct CsvRecord {
  size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180 records; a quoted field may span lines. Blank lines are skipped.
Result<std::vector<CsvRecord>> ReadCsv(std::string_view text) {
  std::vector<CsvRecord> records;
  size_t line = 1, i = 0;
  while (i < text.size()) {
    CsvRecord record{line, {}};
    std::string field;
    bool quoted_field = false;
    bool end_of_record = false;
    while (!end_of_record) {
      if (i >= text.size()) {
        end_of_record = true;
      } else if (text[i] == '"' && field.empty() && !quoted_field) {
        quoted_field = true;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            return Status::BadRequest("line " + std::to_string(record.line) + ": a quoted field is not closed");
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') ++line;
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Status::BadRequest("line " + std::to_string(line) + ": a quoted field must be followed by ',' or the end of the line");
        }
        continue;
      } else if (text[i] == ',') {
        record.fields.push_back(quoted_field ? field : Trim(field));
        field.clear();
        quoted_field = false;
        ++i;
        continue;
      } else if (text[i] == '\r' || text[i] == '\n') {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        end_of_record = true;
      } else {
        field += text[i++];
        continue;
      }
    }
    record.fields.push_back(quoted_field ? field : Trim(field));
    const bool blank = record.fields.size() == 1 && record.fields[0].empty() && !quoted_field;
    if (!blank) records.push_back(std::move(record));
  }
  return records;
}

enum Column { kId, kUpn, kDisplayName, kAccountType, kServicePlans };

Result<std::vector<store::UserImport>> ReadCsvUsers(std::string_view text) {
  auto records = ReadCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty()) return Status::BadRequest("the CSV is empty: it needs a header row and one row per user");
  const CsvRecord& header = records->front();
  std::vector<Column> columns;
  bool has_upn = false, has_plans = false;
  for (const std::string& name : header.fields) {
    std::string n = AsciiLower(name);
    Column c;
    if (n == "id" || n == "objectid") c = kId;
    else if (n == "userprincipalname") c = kUpn;
    else if (n == "displayname") c = kDisplayName;
    else if (n == "accounttype") c = kAccountType;
    else if (n == "serviceplans") c = kServicePlans;
    else {
      return Status::BadRequest("line 1: unknown column '" + Printable(name) +
                                "'; the columns are id, userPrincipalName, displayName, accountType, servicePlans");
    }
    if (std::find(columns.begin(), columns.end(), c) != columns.end()) {
      return Status::BadRequest("line 1: column '" + Printable(name) + "' appears twice");
    }
    has_upn |= c == kUpn;
    has_plans |= c == kServicePlans;
    columns.push_back(c);
  }
  if (!has_upn) {
    return Status::BadRequest("line 1: the header needs a userPrincipalName column (e.g. "
                              "userPrincipalName,displayName,accountType,servicePlans)");
  }
  std::vector<store::UserImport> users;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    const std::string where = "line " + std::to_string(record.line);
    if (record.fields.size() != columns.size()) {
      return Status::BadRequest(where + ": expected " + std::to_string(columns.size()) + " fields as in the header, found " +
                                std::to_string(record.fields.size()));
    }
    store::UserImport user;
    if (has_plans) user.service_plans.emplace();
    for (size_t k = 0; k < columns.size(); ++k) {
      const std::string& v = record.fields[k];
      switch (columns[k]) {
        case kId: user.id = v; break;
        case kUpn: user.user_principal_name = v; break;
        case kDisplayName: user.display_name = v; break;
        case kAccountType: {
          if (v.empty()) break;
          auto type = store::ParseAccountType(v);
          if (!type) return Status::BadRequest(where + ": accountType '" + Printable(v) + "' must be work or personal");
          user.account_type = *type;
          break;
        }
        case kServicePlans: user.service_plans = SplitPlans(v); break;
      }
    }
    AIH_RETURN_IF_ERROR(ValidateUserImport(&user, where));
    users.push_back(std::move(user));
  }
  return users;
}

Result<std::vector<store::UserImport>> ReadJsonUsers(std::string_view text) {
  auto list = JsonFields::ParseList(text, "user");
  if (!list.ok()) return list.status();
  std::vector<store::UserImport> users;
  for (const JsonFields& f : *list) {
    AIH_RETURN_IF_ERROR(f.OnlyMembers({"id", "userPrincipalName", "displayName", "accountType", "servicePlans"}));
    std::optional<std::string> id, upn, name, type;
    AIH_RETURN_IF_ERROR(f.Get("id", &id));
    AIH_RETURN_IF_ERROR(f.Get("userPrincipalName", &upn));
    AIH_RETURN_IF_ERROR(f.Get("displayName", &name));
    AIH_RETURN_IF_ERROR(f.Get("accountType", &type));
    store::UserImport user;
    AIH_RETURN_IF_ERROR(f.Get("servicePlans", &user.service_plans));
    user.id = id.value_or("");
    user.user_principal_name = upn.value_or("");
    user.display_name = name.value_or("");
    if (type) {
      auto parsed = store::ParseAccountType(*type);
      if (!parsed) {
        return Status::BadRequest(f.where() + ": accountType '" + Printable(*type) + "' must be work or personal");
      }
      user.account_type = *parsed;
    }
    AIH_RETURN_IF_ERROR(ValidateUserImport(&user, f.where()));
    users.push_back(std::move(user));
  }
  return users;
}

}  // namespace

Status ValidateUserImport(store::UserImport* user, const std::string& where) {
  if (!user->id.empty()) {
    auto id = CanonicalGuid(user->id, "id");
    if (!id.ok()) return id.status().WithContext(where);
    user->id = std::move(*id);
  }
  AIH_RETURN_IF_ERROR(ValidateUserPrincipalName(user->user_principal_name).WithContext(where));
  if (user->display_name.empty()) user->display_name = user->user_principal_name;
  AIH_RETURN_IF_ERROR(ValidateDisplayName(user->display_name, "displayName").WithContext(where));
  if (user->service_plans) {
    std::vector<std::string>& plans = *user->service_plans;
    for (std::string& plan : plans) {
      auto id = CanonicalGuid(plan, "service plan");
      if (!id.ok()) return id.status().WithContext(where);
      plan = std::move(*id);
    }
    std::sort(plans.begin(), plans.end());
    plans.erase(std::unique(plans.begin(), plans.end()), plans.end());
  }
  return Status::Ok();
}

namespace {

// A CSV field as ReadCsv reads it back: quoted when it holds a separator, a quote, a line break, or
// spaces at either end (which an unquoted field loses).
void AppendCsvField(std::string& out, std::string_view field) {
  const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!field.empty() && (field.front() == ' ' || field.front() == '\t' || field.back() == ' ' ||
                                         field.back() == '\t'));
  if (!quote) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

void AppendUserMembers(std::string& out, const store::DirectoryUser& u) {
  out += "{\"id\":";
  model::AppendJsonString(out, u.id);
  out += ",\"userPrincipalName\":";
  model::AppendJsonString(out, u.user_principal_name);
  out += ",\"displayName\":";
  model::AppendJsonString(out, u.display_name);
  out += ",\"accountType\":";
  model::AppendJsonString(out, store::ToString(u.account_type));
  out += ",\"servicePlans\":[";
  for (size_t i = 0; i < u.service_plans.size(); ++i) {
    if (i) out += ',';
    model::AppendJsonString(out, u.service_plans[i]);
  }
  out += ']';
}

std::string WriteUserList(const std::vector<store::DirectoryUser>& users, UserListFormat format) {
  std::string out;
  if (format == UserListFormat::kJson) {
    out += "[";
    for (size_t i = 0; i < users.size(); ++i) {
      out += i ? ",\n" : "\n";
      AppendUserMembers(out, users[i]);
      out += '}';
    }
    out += "\n]\n";
    return out;
  }
  out += "id,userPrincipalName,displayName,accountType,servicePlans\n";
  for (const store::DirectoryUser& u : users) {
    std::string plans;
    for (const std::string& p : u.service_plans) plans += (plans.empty() ? "" : ";") + p;
    AppendCsvField(out, u.id);
    out += ',';
    AppendCsvField(out, u.user_principal_name);
    out += ',';
    AppendCsvField(out, u.display_name);
    out += ',';
    out += store::ToString(u.account_type);
    out += ',';
    out += plans;
    out += '\n';
  }
  return out;
}

Result<std::vector<store::UserImport>> ReadUserList(std::string_view text, UserListFormat format) {
  // Spreadsheet programs often start a CSV with a byte order mark; it carries nothing.
  if (text.size() >= 3 && std::memcmp(text.data(), "\xEF\xBB\xBF", 3) == 0) text.remove_prefix(3);
  if (!IsUtf8(text)) return Status::BadRequest("the user list is not valid UTF-8");
  return format == UserListFormat::kCsv ? ReadCsvUsers(text) : ReadJsonUsers(text);
}

}  // namespace aih::directory
