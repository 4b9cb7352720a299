// base/files.h: a file that holds secrets is owner-only from its creation on, whatever the umask,
// and one written whole replaces the old one or leaves it as it was.
#include "base/files.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace aih {
namespace {

namespace fs = std::filesystem;

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "aih-files-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    old_mask_ = umask(0);  // the most permissive umask: nothing it takes away hides a mistake
  }
  void TearDown() override {
    umask(old_mask_);
    fs::remove_all(dir_);
  }
  static mode_t Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  std::string dir_;
  mode_t old_mask_ = 0;
};

TEST_F(FilesTest, AFileOfSecretsIsOwnerOnlyAndWholeWhateverTheUmask) {
  const std::string key = dir_ + "/key.pem";
  ASSERT_TRUE(WriteOwnerOnlyFile(key, "first").ok());
  EXPECT_EQ(Mode(key), 0600);
  EXPECT_EQ(Read(key), "first");
  ASSERT_TRUE(WriteOwnerOnlyFile(key, std::string(1 << 20, 'k')).ok());  // replaced whole
  EXPECT_EQ(Mode(key), 0600);
  EXPECT_EQ(Read(key).size(), size_t{1} << 20);
  EXPECT_FALSE(fs::exists(key + ".writing"));
}

TEST_F(FilesTest, AFileThatCannotBeWrittenIsNamedAndTheOldOneStays) {
  const std::string key = dir_ + "/key.pem";
  ASSERT_TRUE(WriteOwnerOnlyFile(key, "kept").ok());
  const Status s = WriteOwnerOnlyFile(dir_ + "/missing/key.pem", "x");
  EXPECT_EQ(s.code(), Code::kUnavailable);
  EXPECT_NE(s.message().find(dir_ + "/missing/key.pem"), std::string::npos) << s.message();
  EXPECT_EQ(Read(key), "kept");
}

TEST_F(FilesTest, CreateOwnerOnlyLeavesAnExistingFileAsItIs) {
  const std::string db = dir_ + "/aihistory.db";
  ASSERT_TRUE(CreateOwnerOnly(db).ok());
  EXPECT_EQ(Mode(db), 0600);
  std::ofstream(db) << "data";
  ASSERT_TRUE(CreateOwnerOnly(db).ok());
  EXPECT_EQ(Read(db), "data");
  const std::string moved = dir_ + "/moved.db";
  ASSERT_TRUE(RenameDurably(db, moved).ok());
  EXPECT_EQ(Read(moved), "data");
  EXPECT_FALSE(fs::exists(db));
}

}  // namespace
}  // namespace aih
