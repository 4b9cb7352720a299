// serve's configuration (issue 18): a TOML file whose keys are the flags' names, AIH_* variables,
// and the precedence flag > environment > file > default; `aihistory config check`; the effective
// configuration printed at start with secrets masked. The parsing and the precedence are tested
// in-process on a CLI11 command like serve's; the binary then with its real options.
#include <CLI/CLI.hpp>
#include <gtest/gtest.h>
#include <gmock/gmock.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/cli_runner.h"
#include "cli/config_file.h"
#include "cli/configuration_report.h"
#include "cli/option_sources.h"
#include "cli/secret_mask.h"
#include "support/http_client.h"
#include "support/server_process.h"
#include "support/store_engines.h"

namespace aih::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace aih::cli;
namespace fs = std::filesystem;

const std::vector<OptionSpec> kSpecs = {
    {"store", OptionKind::kText, false},       {"port", OptionKind::kInteger, false},
    {"throttle-rps", OptionKind::kNumber, false}, {"webhook-allow-http", OptionKind::kBoolean, false},
    {"trust-issuer", OptionKind::kText, true},  {"max-connections", OptionKind::kInteger, false},
};

std::string WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConfigFileTest, GivesEveryKindAsCommandLineText) {
  auto settings = ParseConfigFile(R"(
store = "/var/lib/aihistory"
port = 8080
throttle-rps = 2.5
webhook-allow-http = true
trust-issuer = ["https://a.example/v2.0", "https://b.example/v2.0"]
max-connections = 10000
)", "a.toml", kSpecs);
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_EQ(settings->at("store").values, std::vector<std::string>{"/var/lib/aihistory"});
  EXPECT_EQ(settings->at("store").line, 2);
  EXPECT_EQ(settings->at("port").values, std::vector<std::string>{"8080"});
  EXPECT_EQ(settings->at("throttle-rps").values, std::vector<std::string>{"2.5"});
  EXPECT_EQ(settings->at("webhook-allow-http").values, std::vector<std::string>{"true"});
  EXPECT_EQ(settings->at("trust-issuer").values,
            (std::vector<std::string>{"https://a.example/v2.0", "https://b.example/v2.0"}));
  EXPECT_EQ(settings->at("max-connections").line, 7);
}

TEST(ConfigFileTest, AnIntegerIsANumberAndOneValueIsAList) {
  auto settings = ParseConfigFile("throttle-rps = 30\ntrust-issuer = \"https://a.example/v2.0\"\n", "a.toml", kSpecs);
  ASSERT_TRUE(settings.ok()) << settings.status().message();
  EXPECT_EQ(settings->at("throttle-rps").values, std::vector<std::string>{"30"});
  EXPECT_EQ(settings->at("trust-issuer").values, std::vector<std::string>{"https://a.example/v2.0"});
}

TEST(ConfigFileTest, AnUnknownKeyIsAnErrorNamingItAndItsLine) {
  auto settings = ParseConfigFile("port = 1\n\nprot = 8080\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("a.toml:3: unknown key 'prot'"));
  EXPECT_THAT(settings.status().message(), HasSubstr("did you mean 'port'?"));
  // A section is a key too: the file is flat.
  settings = ParseConfigFile("[server]\nport = 1\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("a.toml:1: unknown key 'server'"));
}

TEST(ConfigFileTest, AWrongTypeIsAnErrorNamingTheKeyAndWhatItGot) {
  auto settings = ParseConfigFile("store = \"x\"\nport = \"8080\"\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().message(), "a.toml:2: port must be an integer, got a string");
  settings = ParseConfigFile("webhook-allow-http = 1\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().message(), "a.toml:1: webhook-allow-http must be true or false, got an integer");
  settings = ParseConfigFile("port = [1, 2]\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("a.toml:1: port must be an integer, got an array"));
  settings = ParseConfigFile("trust-issuer = [\"a\", 2]\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_EQ(settings.status().message(), "a.toml:1: trust-issuer[1]: must be a string, got an integer");
}

TEST(ConfigFileTest, MalformedTomlNamesTheLineAndColumn) {
  auto settings = ParseConfigFile("port = 1\nstore = \"unterminated\n", "a.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), ::testing::MatchesRegex("a\\.toml:2:[0-9]+: not valid TOML: .*"));
  settings = ParseConfigFile("port = 1\nport = 2\n", "a.toml", kSpecs);  // TOML forbids a key twice
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("a.toml:2:"));
}

TEST(ConfigFileTest, AnUnreadableFileIsNamed) {
  auto settings = ReadConfigFile("/nonexistent/aihistory.toml", kSpecs);
  ASSERT_FALSE(settings.ok());
  EXPECT_THAT(settings.status().message(), HasSubstr("/nonexistent/aihistory.toml"));
}

TEST(ConfigFileTest, EnvironmentNamesAndLists) {
  EXPECT_EQ(EnvironmentName("store"), "AIH_STORE");
  EXPECT_EQ(EnvironmentName("max-connections"), "AIH_MAX_CONNECTIONS");
  EXPECT_EQ(EnvironmentName("webhook-allow-network"), "AIH_WEBHOOK_ALLOW_NETWORK");
  EXPECT_EQ(SplitList("10.0.0.0/8, 127.0.0.1/32,,"), (std::vector<std::string>{"10.0.0.0/8", "127.0.0.1/32"}));
  EXPECT_TRUE(SplitList(" , ").empty());
}

TEST(SecretMaskTest, MasksPasswordsAndSecretOptions) {
  EXPECT_EQ(MaskSecret("store", "postgresql://aih:s3cr%40t@db.example:5432/aih"), "postgresql://aih:***@db.example:5432/aih");
  EXPECT_EQ(MaskSecret("store", "postgresql://aih:p@ss@db/aih?sslmode=require"), "postgresql://aih:***@db/aih?sslmode=require");
  EXPECT_EQ(MaskSecret("store", "postgresql://db/aih?user=aih&password=hunter2&sslmode=require"),
            "postgresql://db/aih?user=aih&password=***&sslmode=require");
  EXPECT_EQ(MaskSecret("store", "host=db user=aih password=hunter2 dbname=aih"), "host=db user=aih password=*** dbname=aih");
  EXPECT_EQ(MaskSecret("trust-jwks", "https://user:pw@idp.example/keys"), "https://user:***@idp.example/keys");
  // Nothing to hide: unchanged.
  EXPECT_EQ(MaskSecret("store", "postgresql://aih@db/aih"), "postgresql://aih@db/aih");
  EXPECT_EQ(MaskSecret("store", "/var/lib/aihistory"), "/var/lib/aihistory");
  EXPECT_EQ(MaskSecret("public-url", "https://history.example.com:8443/x@y"), "https://history.example.com:8443/x@y");
  // An option named for a secret hides its whole value; a key *file*'s path is not a secret.
  EXPECT_EQ(MaskSecret("metrics-token", "abc123"), "***");
  EXPECT_EQ(MaskSecret("db-password", "abc123"), "***");
  EXPECT_EQ(MaskSecret("client-secret", "abc123"), "***");
  EXPECT_EQ(MaskSecret("tls-key", "/etc/aihistory/key.pem"), "/etc/aihistory/key.pem");
}

// A command declared as serve is, with options of every kind; nothing registers them for the file
// or the environment: every long option is configurable.
struct ServeLike {
  CLI::App app{"test", "aihistory"};
  CLI::App* serve = nullptr;
  std::string store = "./data";
  int port = 8080;
  int workers = 32;
  size_t max_connections = 0;
  double throttle_rps = -1;
  std::vector<std::string> networks;
  std::vector<std::string> audiences = {"api://a", "api://b"};
  bool allow_http = false;
  std::string config;
  std::string db_password;

  ServeLike() {
    serve = app.add_subcommand("serve");
    serve->add_option("--store", store)->capture_default_str();
    serve->add_option("--port", port)->capture_default_str();
    serve->add_option("--workers", workers)->capture_default_str()->check(CLI::Range(1, 1024));
    serve->add_option("--max-connections", max_connections);
    serve->add_option("--throttle-rps", throttle_rps)->check(CLI::Range(0.0, 1e9));
    serve->add_option("--webhook-allow-network", networks);
    serve->add_option("--trust-audience", audiences)->capture_default_str();
    serve->add_flag("--webhook-allow-http", allow_http);
    serve->add_option("--db-password", db_password);
    serve->add_option("--config", config);
  }
  void Parse(std::vector<std::string> args) {
    args.insert(args.begin(), "serve");
    std::reverse(args.begin(), args.end());
    app.parse(args);
  }
};

// Sets environment variables for one test and restores them after.
class ScopedEnvironment {
 public:
  void Set(const std::string& name, const std::string& value) {
    const char* old = std::getenv(name.c_str());
    saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) setenv(it->first.c_str(), it->second->c_str(), 1); else unsetenv(it->first.c_str());
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

const EffectiveOption& Find(const Configuration& c, const std::string& name) {
  for (const EffectiveOption& o : c.options) {
    if (o.spec.name == name) return o;
  }
  static EffectiveOption none;
  ADD_FAILURE() << "no option " << name;
  return none;
}

class OptionSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("aih-config"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(OptionSourcesTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  const std::string file = WriteFile(dir_ + "/a.toml", R"(store = "/from/file"
port = 1111
workers = 3
max-connections = 300
webhook-allow-network = ["192.168.0.0/16"]
)");
  ScopedEnvironment env;
  env.Set("AIH_PORT", "2222");       // flag, env and file: the flag
  env.Set("AIH_WORKERS", "5");       // env and file: the environment
  env.Set("AIH_WEBHOOK_ALLOW_NETWORK", "10.0.0.0/8, 127.0.0.1/32");
  env.Set("AIH_TEST_UNRELATED", "x");  // not an option: ignored
  ServeLike cli;
  cli.Parse({"--port", "3333"});
  auto configuration = ApplyOptionSources(CommandOptions(*cli.serve), file);
  ASSERT_TRUE(configuration.ok()) << configuration.status().message();

  EXPECT_EQ(cli.port, 3333);
  EXPECT_EQ(Find(*configuration, "port").source, "flag");
  EXPECT_EQ(cli.workers, 5);
  EXPECT_EQ(Find(*configuration, "workers").source, "env AIH_WORKERS");
  EXPECT_EQ(cli.networks, (std::vector<std::string>{"10.0.0.0/8", "127.0.0.1/32"}));
  EXPECT_EQ(cli.max_connections, 300u);
  EXPECT_EQ(Find(*configuration, "max-connections").source, "file " + file + ":4");
  EXPECT_EQ(cli.store, "/from/file");
  EXPECT_EQ(cli.throttle_rps, -1);
  EXPECT_EQ(Find(*configuration, "throttle-rps").source, "default");
  EXPECT_TRUE(Find(*configuration, "throttle-rps").values.empty());
  EXPECT_FALSE(cli.allow_http);
  EXPECT_EQ(Find(*configuration, "webhook-allow-http").values, std::vector<std::string>{"false"});
  EXPECT_EQ(Find(*configuration, "trust-audience").values, (std::vector<std::string>{"api://a", "api://b"}));
  EXPECT_EQ(configuration->file, file);
}

TEST_F(OptionSourcesTest, FlagsAndBooleansFromEverySource) {
  const std::string file = WriteFile(dir_ + "/a.toml", "webhook-allow-http = true\n");
  {
    ServeLike cli;
    cli.Parse({});
    ASSERT_TRUE(ApplyOptionSources(CommandOptions(*cli.serve), file).ok());
    EXPECT_TRUE(cli.allow_http);
  }
  {
    ScopedEnvironment env;
    env.Set("AIH_WEBHOOK_ALLOW_HTTP", "0");  // the environment turns off what the file turned on
    ServeLike cli;
    cli.Parse({});
    ASSERT_TRUE(ApplyOptionSources(CommandOptions(*cli.serve), file).ok());
    EXPECT_FALSE(cli.allow_http);
  }
  {
    ScopedEnvironment env;
    env.Set("AIH_WEBHOOK_ALLOW_HTTP", "false");
    ServeLike cli;
    cli.Parse({"--webhook-allow-http"});
    ASSERT_TRUE(ApplyOptionSources(CommandOptions(*cli.serve), file).ok());
    EXPECT_TRUE(cli.allow_http);
  }
}

TEST_F(OptionSourcesTest, ACheckedValueIsRefusedNamingItsSource) {
  ServeLike cli;
  cli.Parse({});
  const std::string file = WriteFile(dir_ + "/a.toml", "store = \"x\"\nworkers = 0\n");
  auto configuration = ApplyOptionSources(CommandOptions(*cli.serve), file);
  ASSERT_FALSE(configuration.ok());
  EXPECT_THAT(configuration.status().message(), HasSubstr(file + ":2: workers"));

  ScopedEnvironment env;
  env.Set("AIH_PORT", "eighty");
  ServeLike again;
  again.Parse({});
  configuration = ApplyOptionSources(CommandOptions(*again.serve), "");
  ASSERT_FALSE(configuration.ok());
  EXPECT_THAT(configuration.status().message(), HasSubstr("AIH_PORT"));
}

TEST_F(OptionSourcesTest, TheConfigOptionItselfIsNoKey) {
  ServeLike cli;
  cli.Parse({});
  const std::string file = WriteFile(dir_ + "/a.toml", "config = \"other.toml\"\n");
  auto configuration = ApplyOptionSources(CommandOptions(*cli.serve), file);
  ASSERT_FALSE(configuration.ok());
  EXPECT_THAT(configuration.status().message(), HasSubstr("unknown key 'config'"));
}

TEST_F(OptionSourcesTest, TheReportMasksSecretsAndReadsBackAsTheSameFile) {
  const std::string file = WriteFile(dir_ + "/a.toml", R"(store = "postgresql://aih:hunter2@db/aih"
port = 0
throttle-rps = 2.5
webhook-allow-network = ["10.0.0.0/8", "::1/128"]
db-password = "hunter2"
)");
  ScopedEnvironment env;
  env.Set("AIH_WEBHOOK_ALLOW_HTTP", "1");
  ServeLike cli;
  cli.Parse({"--workers", "7"});
  auto configuration = ApplyOptionSources(CommandOptions(*cli.serve), file);
  ASSERT_TRUE(configuration.ok()) << configuration.status().message();
  std::string text;
  for (const std::string& line : DescribeConfiguration(*configuration)) text += line + "\n";
  EXPECT_THAT(text, Not(HasSubstr("hunter2")));
  EXPECT_THAT(text, HasSubstr("store = \"postgresql://aih:***@db/aih\"  # file " + file + ":1\n"));
  EXPECT_THAT(text, HasSubstr("db-password = \"***\"  # file " + file + ":5\n"));
  EXPECT_THAT(text, HasSubstr("workers = 7  # flag\n"));
  EXPECT_THAT(text, HasSubstr("webhook-allow-http = true  # env AIH_WEBHOOK_ALLOW_HTTP\n"));
  EXPECT_THAT(text, HasSubstr("port = 0  # file"));
  EXPECT_THAT(text, HasSubstr("# max-connections: not set  # default\n"));
  // The report is itself a configuration file giving the same values (masked ones aside).
  auto again = ParseConfigFile(text, "report", SpecsOf(CommandOptions(*cli.serve)));
  ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << text;
  EXPECT_EQ(again->at("webhook-allow-network").values, (std::vector<std::string>{"10.0.0.0/8", "::1/128"}));
  EXPECT_EQ(again->at("throttle-rps").values, std::vector<std::string>{"2.5"});
  EXPECT_EQ(again->at("workers").values, std::vector<std::string>{"7"});
  EXPECT_EQ(again->count("max-connections"), 0u);
}

// A value with bytes TOML cannot hold raw (DEL, invalid UTF-8, a control character) is still
// reported as a file that reads back: TOML wants DEL escaped and the text valid UTF-8.
TEST_F(OptionSourcesTest, TheReportOfAnOddValueIsStillAValidFile) {
  ScopedEnvironment env;
  env.Set("AIH_STORE", std::string("data\x7f\xff\x01" "dir"));
  ServeLike cli;
  cli.Parse({});
  auto configuration = ApplyOptionSources(CommandOptions(*cli.serve), "");
  ASSERT_TRUE(configuration.ok()) << configuration.status().message();
  std::string text;
  for (const std::string& line : DescribeConfiguration(*configuration)) text += line + "\n";
  EXPECT_THAT(text, HasSubstr("store = \"data\\u007f\xef\xbf\xbd\\u0001dir\"  # env AIH_STORE\n"));
  auto again = ParseConfigFile(text, "report", SpecsOf(CommandOptions(*cli.serve)));
  ASSERT_TRUE(again.ok()) << again.status().message() << "\n" << text;
}

// --- The binary, with serve's real options ---

class ConfigCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("aih-config-cli"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

const std::string kSample = std::string(AIH_SOURCE_DIR) + "/packaging/aihistory.toml";

// The names of serve's options, from `serve --help`.
std::set<std::string> ServeOptionNames() {
  CliResult help = RunCli({"serve", "--help"});
  std::set<std::string> names;
  std::regex option("--([a-z][a-z0-9-]*)");
  for (std::sregex_iterator it(help.out.begin(), help.out.end(), option), end; it != end; ++it) names.insert((*it)[1]);
  names.erase("help");
  names.erase("config");
  return names;
}

TEST_F(ConfigCommandTest, TheSampleFileIsValidAndNamesEveryServeOptionWithItsDefault) {
  CliResult checked = RunCli({"config", "check", kSample});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("store = \"/var/lib/aihistory\"  # file " + kSample + ":"));
  // Every serve option is in the sample (commented out but store), so the sample never drifts.
  const std::string sample = ReadAll(kSample);
  const std::set<std::string> names = ServeOptionNames();
  ASSERT_GT(names.size(), 30u);
  for (const std::string& name : names) {
    EXPECT_TRUE(std::regex_search(sample, std::regex("(^|\n)(# )?" + name + " = "))) << name << " is not in " << kSample;
  }
  // Every commented-out line, uncommented, is valid too: the sample shows usable defaults.
  const std::string uncommented = std::regex_replace(sample, std::regex("(^|\n)# ([a-z-]+ = )"), "$1$2");
  WriteFile(dir_ + "/all.toml", uncommented);
  CliResult all = RunCli({"config", "check", dir_ + "/all.toml"});
  EXPECT_EQ(all.exit_code, 0) << all.err;
  for (const std::string& name : names) EXPECT_THAT(all.out, HasSubstr("\n" + name + " = ")) << name;
}

TEST_F(ConfigCommandTest, CheckNamesTheProblemAndShowsEachValuesSource) {
  const std::string bad = WriteFile(dir_ + "/bad.toml", "store = \"/x\"\nmax-conections = 10\n");
  CliResult checked = RunCli({"config", "check", "--config", bad});
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_THAT(checked.err, HasSubstr(bad + ":2: unknown key 'max-conections' (did you mean 'max-connections'?)"));

  const std::string unpaired = WriteFile(dir_ + "/unpaired.toml", "trust-issuer = [\"https://idp.example/v2.0\"]\n");
  checked = RunCli({"config", "check", unpaired});
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_THAT(checked.err, HasSubstr("--trust-jwks"));

  const std::string good = WriteFile(dir_ + "/good.toml", "port = 9000\nmax-connections = 100\n");
  checked = RunCli({"config", "check", good}, "",
                   {"AIH_MAX_CONNECTIONS=200", "AIH_STORE=postgresql://aih:hunter2@db/aih"});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("\nport = 9000  # file " + good + ":1\n"));
  EXPECT_THAT(checked.out, HasSubstr("\nmax-connections = 200  # env AIH_MAX_CONNECTIONS\n"));
  EXPECT_THAT(checked.out, HasSubstr("\nstore = \"postgresql://aih:***@db/aih\"  # env AIH_STORE\n"));
  EXPECT_THAT(checked.out, HasSubstr("\nworkers = 32  # default\n"));
  EXPECT_THAT(checked.out, Not(HasSubstr("hunter2")));

  checked = RunCli({"config", "check"}, "", {"AIH_CONFIG=" + good});  // the file named by the environment
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  EXPECT_THAT(checked.out, HasSubstr("\nport = 9000  # file " + good + ":1\n"));

  checked = RunCli({"config", "check"});
  EXPECT_EQ(checked.exit_code, 2);
  EXPECT_THAT(checked.err, HasSubstr("give the file to check"));
}

// The audit log keeps its entries as long as a retention policy may keep an interaction (100 years),
// and no longer.
TEST_F(ConfigCommandTest, TheAuditLogsRetentionSpansWhatARetentionPolicyMay) {
  const std::string longest = WriteFile(dir_ + "/longest.toml", "audit-retention-days = 36525\n");
  CliResult checked = RunCli({"config", "check", longest});
  EXPECT_EQ(checked.exit_code, 0) << checked.err;
  const std::string beyond = WriteFile(dir_ + "/beyond.toml", "audit-retention-days = 36526\n");
  checked = RunCli({"config", "check", beyond});
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_THAT(checked.err, HasSubstr("36525")) << checked.err;
}

// On each engine: the store and the port from the file; a PostgreSQL URL's password never printed.
class ServeConfigTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { dir_ = MakeTempDir("aih-config-serve"); }
  void TearDown() override {
    RemoveStoreLocation(store_);
    fs::remove_all(dir_);
  }
  std::string dir_, store_;
};

TEST_P(ServeConfigTest, ServeTakesItsStoreAndPortFromTheFile) {
  store_ = NewStoreLocation(GetParam(), "aih-config-store");
  ASSERT_FALSE(store_.empty());
  std::string store = store_, shown = store_;
  if (IsPostgresLocation(store_)) {
    // The test server trusts loopback, so a password in the URL is sent for nothing: and must be masked.
    const size_t at = store_.find('@');
    ASSERT_NE(at, std::string::npos) << store_;
    store = store_.substr(0, at) + ":hunter2" + store_.substr(at);
    shown = store_.substr(0, at) + ":***" + store_.substr(at);
  }
  const std::string file = WriteFile(dir_ + "/aihistory.toml", "store = \"" + store + "\"\nport = 0\nworkers = 4\n");
  auto server = ServerProcess::StartWithArguments({"serve", "--config", file});
  ASSERT_NE(server, nullptr);
  auto health = HttpClient(server->port()).Send("GET", "/health/ready");
  EXPECT_EQ(health.status, 200) << health.body;
  const std::string log = server->output();
  EXPECT_THAT(log, HasSubstr("\"event\":\"configuration\",\"file\":\"" + file + "\""));
  EXPECT_THAT(log, HasSubstr("\"store\":\"\\\"" + shown + "\\\"  # file " + file + ":1\""));
  EXPECT_THAT(log, HasSubstr("\"port\":\"0  # file " + file + ":2\""));
  EXPECT_THAT(log, HasSubstr("\"workers\":\"4  # file " + file + ":3\""));
  EXPECT_THAT(log, Not(HasSubstr("hunter2")));
  EXPECT_EQ(server->Terminate(), 0);
  EXPECT_THAT(server->Log(), Not(HasSubstr("hunter2")));
}

INSTANTIATE_TEST_SUITE_P(Engines, ServeConfigTest, ::testing::ValuesIn(StoreEngines()), EngineName);

// All three sources set for the same options: the flag wins, then the environment, then the file.
TEST_F(ConfigCommandTest, ServeHonoursFlagOverEnvironmentOverFile) {
  const std::string store = dir_ + "/store";
  const std::string file = WriteFile(dir_ + "/aihistory.toml", "store = \"" + store + "\"\nport = 1\nworkers = 3\n"
                                     "max-connections = 300\nshutdown-grace = 7\n");
  ScopedEnvironment env;
  env.Set("AIH_PORT", "not-a-port");  // overridden by the flag, so never read
  env.Set("AIH_WORKERS", "5");        // overrides the file
  env.Set("AIH_MAX_CONNECTIONS", "500");
  auto server = ServerProcess::StartWithArguments({"serve", "--config", file, "--port", "0", "--max-connections", "900"});
  ASSERT_NE(server, nullptr);
  const std::string log = server->output();
  EXPECT_THAT(log, HasSubstr("\"port\":\"0  # flag\""));
  EXPECT_THAT(log, HasSubstr("\"max-connections\":\"900  # flag\""));
  EXPECT_THAT(log, HasSubstr("\"workers\":\"5  # env AIH_WORKERS\""));
  EXPECT_THAT(log, HasSubstr("\"shutdown-grace\":\"7  # file " + file + ":5\""));
  EXPECT_THAT(log, HasSubstr("\"graph-profile\":\"\\\"permissive\\\"  # default\""));
  // The values are the ones used: the stop message names the file's grace period.
  EXPECT_EQ(server->Terminate(), 0);
  EXPECT_THAT(server->Log(), HasSubstr("waiting up to 7 s"));
}

TEST_F(ConfigCommandTest, ServeRefusesABadFileAndStartsNothing) {
  const std::string store = dir_ + "/store";
  const std::string file = WriteFile(dir_ + "/aihistory.toml", "store = \"" + store + "\"\nport = \"8080\"\n");
  CliResult served = RunCli({"serve", "--config", file});
  EXPECT_EQ(served.exit_code, 2);
  EXPECT_THAT(served.err, HasSubstr(file + ":2: port must be an integer, got a string"));
  EXPECT_FALSE(fs::exists(store));
  served = RunCli({"serve", "--config", dir_ + "/missing.toml"});
  EXPECT_EQ(served.exit_code, 2);
  EXPECT_THAT(served.err, HasSubstr("cannot read the configuration file " + dir_ + "/missing.toml"));
}

}  // namespace
}  // namespace aih::testing
