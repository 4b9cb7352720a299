// EnvVfs: the SQLite VFS through which an Env's file faults (base/file_faults.h) reach the database
// files. It forwards every call to the system's VFS, asking the FileFaults before each write, sync,
// truncation and deletion; to emulate a power loss it keeps, per file, what each write since the
// file's last sync replaced, and puts it back when the power goes.
//
// Only a store opened with an Env that has file faults uses it (tests); otherwise SQLite's own VFS
// is used and nothing here costs anything.
//
// Threading: one VFS per FileFaults, registered once and shared by every connection of every thread.
#pragma once

#include <string>

#include "base/env.h"
#include "base/status.h"

namespace aih::store::sqlite {

// The name of the VFS to open the store's connections with: "" (SQLite's default) when `env` has no
// file faults, else a VFS registered for them on first use (never unregistered: connections of a
// closed store may still be closing).
Result<std::string> VfsFor(Env& env);

}  // namespace aih::store::sqlite
