#include "store/sqlite/env_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <vector>

namespace aih::store::sqlite {
namespace {

// What one write or truncation since the file's last sync replaced: applied in reverse order, these
// give the file back its content and size as of that sync.
struct Undo {
  int64_t offset;
  std::string replaced;  // the bytes that were at `offset` (as many as the file had there)
  int64_t size_before;
};

struct VfsState {
  sqlite3_vfs vfs;  // what SQLite sees; pAppData points back here
  sqlite3_vfs* system;
  FileFaults* faults;
  std::string name;
  std::mutex mu;
  std::map<std::string, std::vector<Undo>> unsynced;  // by file path

  // The machine stops: every file loses what it was written since its last sync. Plain POSIX calls,
  // because SQLite's own handles may all be closed by now, and nothing else writes any more (every
  // later operation fails).
  void LosePower() {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& [path, undos] : unsynced) {
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) continue;  // deleted meanwhile: nothing to give back
      for (auto it = undos.rbegin(); it != undos.rend(); ++it) {
        if (!it->replaced.empty() &&
            ::pwrite(fd, it->replaced.data(), it->replaced.size(), it->offset) != static_cast<ssize_t>(it->replaced.size())) {
          std::perror("aihistory: emulating a power loss");
        }
        if (::ftruncate(fd, it->size_before) != 0) std::perror("aihistory: emulating a power loss");
      }
      ::close(fd);
    }
    unsynced.clear();
  }
};

struct File {
  sqlite3_file base;  // first: SQLite sees a File as a sqlite3_file
  sqlite3_file* real;  // the system VFS's file, allocated right after this struct
  VfsState* state;
  std::string* path;  // owned; null when the file has no name (temporary files)
};

VfsState* StateOf(sqlite3_vfs* vfs) { return static_cast<VfsState*>(vfs->pAppData); }
File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }

// The fault for `op` on `file`, carried out when it is a power loss. kNone for unnamed files.
FileFault Ask(VfsState* state, FileOp op, const std::string* path) {
  if (!path) return FileFault::kNone;
  const FileFault fault = state->faults->Before(op, *path);
  if (fault == FileFault::kPowerLoss) state->LosePower();
  return fault;
}

int Failure(FileFault fault, int io_error) {
  return fault == FileFault::kFull ? SQLITE_FULL : io_error;
}

int Close(sqlite3_file* f) {
  File* file = Of(f);
  int rc = file->real->pMethods ? file->real->pMethods->xClose(file->real) : SQLITE_OK;
  delete file->path;
  file->path = nullptr;
  return rc;
}

int Read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  return Of(f)->real->pMethods->xRead(Of(f)->real, out, n, offset);
}

// Keeps what a write of `length` bytes at `offset` (or a truncation to `offset`: every byte from
// there) is about to replace, with the file's size before it, so that a power loss can put it back.
int RememberUnsynced(File* file, sqlite3_int64 offset, sqlite3_int64 length) {
  if (!file->path) return SQLITE_OK;
  sqlite3_int64 size = 0;
  if (int rc = file->real->pMethods->xFileSize(file->real, &size); rc != SQLITE_OK) return rc;
  Undo undo{offset, {}, size};
  if (offset < size) {
    undo.replaced.resize(static_cast<size_t>(std::min(length, size - offset)));
    int rc = file->real->pMethods->xRead(file->real, undo.replaced.data(), static_cast<int>(undo.replaced.size()), offset);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
  }
  std::lock_guard<std::mutex> lock(file->state->mu);
  file->state->unsynced[*file->path].push_back(std::move(undo));
  return SQLITE_OK;
}

int Write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  File* file = Of(f);
  const FileFault fault = Ask(file->state, FileOp::kWrite, file->path);
  if (fault != FileFault::kNone) return Failure(fault, SQLITE_IOERR_WRITE);
  if (int rc = RememberUnsynced(file, offset, n); rc != SQLITE_OK) return rc;
  return file->real->pMethods->xWrite(file->real, data, n, offset);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  File* file = Of(f);
  const FileFault fault = Ask(file->state, FileOp::kTruncate, file->path);
  if (fault != FileFault::kNone) return Failure(fault, SQLITE_IOERR_TRUNCATE);
  if (int rc = RememberUnsynced(file, size, std::numeric_limits<sqlite3_int64>::max()); rc != SQLITE_OK) return rc;
  return file->real->pMethods->xTruncate(file->real, size);
}

int Sync(sqlite3_file* f, int flags) {
  File* file = Of(f);
  const FileFault fault = Ask(file->state, FileOp::kSync, file->path);
  if (fault != FileFault::kNone) return SQLITE_IOERR_FSYNC;
  int rc = file->real->pMethods->xSync(file->real, flags);
  if (rc == SQLITE_OK && file->path) {
    std::lock_guard<std::mutex> lock(file->state->mu);
    file->state->unsynced.erase(*file->path);  // on disk now: a power loss keeps it
  }
  return rc;
}

// The rest is forwarded as it is.
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Of(f)->real->pMethods->xFileSize(Of(f)->real, size); }
int Lock(sqlite3_file* f, int level) { return Of(f)->real->pMethods->xLock(Of(f)->real, level); }
int Unlock(sqlite3_file* f, int level) { return Of(f)->real->pMethods->xUnlock(Of(f)->real, level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Of(f)->real->pMethods->xCheckReservedLock(Of(f)->real, out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Of(f)->real->pMethods->xFileControl(Of(f)->real, op, arg);
}
int SectorSize(sqlite3_file* f) { return Of(f)->real->pMethods->xSectorSize(Of(f)->real); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Of(f)->real->pMethods->xDeviceCharacteristics(Of(f)->real);
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Of(f)->real->pMethods->xShmMap(Of(f)->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Of(f)->real->pMethods->xShmLock(Of(f)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Of(f)->real->pMethods->xShmBarrier(Of(f)->real); }
int ShmUnmap(sqlite3_file* f, int delete_flag) { return Of(f)->real->pMethods->xShmUnmap(Of(f)->real, delete_flag); }
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  return Of(f)->real->pMethods->xFetch(Of(f)->real, offset, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return Of(f)->real->pMethods->xUnfetch(Of(f)->real, offset, p);
}

// Version 3 methods: the unix VFS's files have shared memory (WAL) and memory mapping.
const sqlite3_io_methods kMethods = {
    3,        Close,       Read,      Write,  Truncate,  Sync,     FileSize,         Lock,
    Unlock,   CheckReservedLock, FileControl, SectorSize, DeviceCharacteristics, ShmMap, ShmLock,
    ShmBarrier, ShmUnmap, Fetch,   Unfetch,
};

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  VfsState* state = StateOf(vfs);
  File* file = Of(f);
  file->base.pMethods = nullptr;  // SQLite calls xClose only when pMethods is set
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  file->state = state;
  file->path = nullptr;
  int rc = state->system->xOpen(state->system, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  if (name) file->path = new std::string(name);
  file->base.pMethods = &kMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  VfsState* state = StateOf(vfs);
  const std::string path(name);
  const FileFault fault = Ask(state, FileOp::kDelete, &path);
  if (fault != FileFault::kNone) return SQLITE_IOERR_DELETE;
  {
    std::lock_guard<std::mutex> lock(state->mu);
    state->unsynced.erase(path);  // gone (a power loss after this cannot bring it back: a simplification)
  }
  return state->system->xDelete(state->system, name, sync_dir);
}

int Access(sqlite3_vfs* v, const char* n, int f, int* o) { return StateOf(v)->system->xAccess(StateOf(v)->system, n, f, o); }
int FullPathname(sqlite3_vfs* v, const char* n, int size, char* out) {
  return StateOf(v)->system->xFullPathname(StateOf(v)->system, n, size, out);
}
void* DlOpen(sqlite3_vfs* v, const char* n) { return StateOf(v)->system->xDlOpen(StateOf(v)->system, n); }
void DlError(sqlite3_vfs* v, int n, char* out) { StateOf(v)->system->xDlError(StateOf(v)->system, n, out); }
void (*DlSym(sqlite3_vfs* v, void* h, const char* s))(void) { return StateOf(v)->system->xDlSym(StateOf(v)->system, h, s); }
void DlClose(sqlite3_vfs* v, void* h) { StateOf(v)->system->xDlClose(StateOf(v)->system, h); }
int Randomness(sqlite3_vfs* v, int n, char* out) { return StateOf(v)->system->xRandomness(StateOf(v)->system, n, out); }
int Sleep(sqlite3_vfs* v, int us) { return StateOf(v)->system->xSleep(StateOf(v)->system, us); }
int CurrentTime(sqlite3_vfs* v, double* out) { return StateOf(v)->system->xCurrentTime(StateOf(v)->system, out); }
int GetLastError(sqlite3_vfs* v, int n, char* out) { return StateOf(v)->system->xGetLastError(StateOf(v)->system, n, out); }
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return StateOf(v)->system->xCurrentTimeInt64(StateOf(v)->system, out);
}

}  // namespace

Result<std::string> VfsFor(Env& env) {
  FileFaults* faults = env.file_faults();
  if (!faults) return std::string();
  static std::mutex mu;
  static std::map<FileFaults*, VfsState*>* registered = new std::map<FileFaults*, VfsState*>;  // never freed
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = registered->find(faults); it != registered->end()) return it->second->name;
  sqlite3_vfs* system = sqlite3_vfs_find(nullptr);
  if (!system) return Status::Internal("SQLite has no default VFS");
  auto* state = new VfsState;  // lives as long as the process: see VfsFor's contract
  state->system = system;
  state->faults = faults;
  char name[64];
  std::snprintf(name, sizeof name, "aih-env-%p", static_cast<void*>(faults));
  state->name = name;
  sqlite3_vfs& vfs = state->vfs;
  std::memset(&vfs, 0, sizeof vfs);
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(sizeof(File)) + system->szOsFile;
  vfs.mxPathname = system->mxPathname;
  vfs.zName = state->name.c_str();
  vfs.pAppData = state;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (int rc = sqlite3_vfs_register(&vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
    return Status::Internal(std::string("cannot register the fault-injecting VFS: ") + sqlite3_errstr(rc));
  }
  (*registered)[faults] = state;
  return state->name;
}

}  // namespace aih::store::sqlite
