// serve's exit status tells the service manager whether starting again can help: 1 when it may
// (the database unreachable, the port taken), so that systemd retries; 2 when the configuration must
// change first, so that the package's unit (RestartPreventExitStatus=2) stops instead of looping.
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_runner.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class ServeExitStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("aih-serve-exit-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Store() const { return (dir_ / "store").string(); }
  fs::path dir_;
};

TEST_F(ServeExitStatusTest, APortInUseMayFreeUpSoItIsRetried) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(fd, 1), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const int port = ntohs(address.sin_port);

  CliResult r = RunCli({"serve", "--store", Store(), "--port", std::to_string(port)});
  close(fd);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("choose another with --port"));
}

TEST_F(ServeExitStatusTest, AnUnreachableDatabaseMayComeUpSoItIsRetried) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  CliResult r = RunCli({"serve", "--store", "postgresql://aihistory@127.0.0.1:1/aihistory", "--port", "0"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("PostgreSQL"));
}

TEST_F(ServeExitStatusTest, AConfigurationToChangeIsNotRetried) {
  // TLS files that do not exist: no restart can make them appear.
  CliResult tls = RunCli({"serve", "--store", Store(), "--port", "-1", "--https-port", "0",
                          "--tls-cert", (dir_ / "missing.pem").string(), "--tls-key", (dir_ / "missing.key").string()});
  EXPECT_EQ(tls.exit_code, 2) << tls.err;
  EXPECT_THAT(tls.err, HasSubstr("missing.pem"));

  const std::string config = (dir_ / "aihistory.toml").string();
  std::ofstream(config) << "max-conections = 10\n";
  CliResult typo = RunCli({"serve", "--config", config});
  EXPECT_EQ(typo.exit_code, 2) << typo.err;
  EXPECT_THAT(typo.err, HasSubstr("max-conections"));

  // The package's unit says the same, or systemd would restart a broken configuration every 5 s.
  std::ifstream unit(std::string(AIH_SOURCE_DIR) + "/packaging/aihistory.service");
  std::string text((std::istreambuf_iterator<char>(unit)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("\nRestartPreventExitStatus=2\n"));
}

}  // namespace
}  // namespace aih::testing
