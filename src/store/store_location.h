// StoreLocation: where a store is, read from what --store (or AIH_STORE) names. Every command and
// the store's own open read a location here, so that one name means one store everywhere.
//
// A name that starts with postgresql:// or postgres:// is a PostgreSQL connection URL; any other
// is the data directory of a SQLite store, optionally written sqlite:DIR. A directory whose name
// merely starts with "postgres" (postgres-data) is a directory.
// Values only; thread-compatible.
#pragma once

#include <string>

namespace aih::store {

struct StoreLocation {
  bool postgres = false;
  std::string url;        // PostgreSQL: the URL as given (it may carry a password: never log it)
  std::string directory;  // SQLite: the data directory ("" when the name was empty or just "sqlite:")

  static StoreLocation Parse(const std::string& name);
  // SQLite: the database file in the directory.
  std::string DatabaseFile() const { return directory + "/aihistory.db"; }
  // What a log or a message may show of it: the directory, or only the engine of a URL.
  std::string ForLog() const { return postgres ? std::string("postgresql") : directory; }
};

}  // namespace aih::store
