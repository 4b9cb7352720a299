#include "base/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace aih {
namespace {

Status Failed(const std::string& what, const std::string& path) {
  return Status::Unavailable("cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status CreateOwnerOnly(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return Failed("create", path);
  }
  return Status::Ok();
}

Status SyncFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Failed("open", path);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Failed("sync", path);
  return Status::Ok();
}

Status RenameDurably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return Failed("rename " + from + " to", to);
  const std::string directory = std::filesystem::path(to).parent_path().string();
  return SyncFile(directory.empty() ? "." : directory);
}

Status WriteOwnerOnlyFile(const std::string& path, std::string_view bytes) {
  const std::string writing = path + ".writing";
  ::unlink(writing.c_str());
  const int fd = ::open(writing.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Failed("create", writing);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  const bool written = done == bytes.size() && ::fsync(fd) == 0;
  Status status = written ? Status::Ok() : Failed("write", writing);
  ::close(fd);
  if (status.ok()) status = RenameDurably(writing, path);
  if (!status.ok()) ::unlink(writing.c_str());
  return status;
}

}  // namespace aih
