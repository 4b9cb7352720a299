// Files written whole and files that hold secrets: the few file operations whose details decide
// whether a secret leaks or an acknowledged file survives a power loss, written once.
//
// A file that holds secrets (a private key, credentials, a store) is owner-only from the moment it
// exists, never chmod-ed afterwards: in between it could be read. A file renamed into place is
// durable only once its directory is synced too.
// Functions only; thread-safe (each call works on its own descriptors).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace aih {

// Creates `path` empty and owner-only (0600) unless it exists; kUnavailable naming it otherwise.
Status CreateOwnerOnly(const std::string& path);

// Writes its bytes to disk (fsync).
Status SyncFile(const std::string& path);

// Renames `from` to `to` (replacing it) and syncs `to`'s directory, so that the rename survives a
// power loss.
Status RenameDurably(const std::string& from, const std::string& to);

// Replaces `path` with a file holding `bytes`, whole or not at all: written owner-only under a
// temporary name beside it, synced and renamed into place durably.
Status WriteOwnerOnlyFile(const std::string& path, std::string_view bytes);

}  // namespace aih
