// aihistory: the command line. This is the only file that includes CLI11: it declares every
// subcommand's options and hands them to the subcommand's Run* function (commands.h).
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace aih::cli;
  CLI::App app{"aihistory: the AI interaction history service with a Microsoft Graph compatible export API"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "aihistory 0.1.0");
  int exit_code = 0;

  ImportOptions import;
  auto* imp = app.add_subcommand("import", "Import interactions from an NDJSON file or a JSON array");
  imp->add_option("file", import.file, "The file to import ('-' for standard input)")->required();
  imp->add_option("--store", import.store, "Data directory or postgresql:// URL")->capture_default_str();
  imp->add_option("--tenant", import.tenant_id, "The tenant the interactions belong to")->required();
  imp->add_option("--user", import.user_id, "Owner of items that carry no \"@aihistory.userId\"");
  imp->add_option("--batch-size", import.batch_size, "Items per durable batch")->capture_default_str()->check(CLI::Range(1, 10000));
  imp->callback([&] { exit_code = RunImport(import); });

  ExportOptions exp;
  auto* ex = app.add_subcommand("export", "Export one user's or a whole tenant's interactions as NDJSON (streaming)");
  ex->add_option("--store", exp.store, "Data directory or postgresql:// URL")->capture_default_str();
  ex->add_option("--tenant", exp.tenant_id, "The tenant to export")->required();
  ex->add_option("--user", exp.user_id, "One user's object id (default: every user of the tenant)");
  ex->add_option("--out", exp.out, "Output file ('-' for standard output)")->capture_default_str();
  ex->callback([&] { exit_code = RunExport(exp); });

  SeedOptions seed;
  auto* sd = app.add_subcommand("seed", "Write a realistic synthetic history (deterministic with --seed)");
  sd->add_option("--store", seed.store, "Data directory or postgresql:// URL")->capture_default_str();
  sd->add_option("--tenant", seed.tenant_id, "Tenant id")->capture_default_str();
  sd->add_option("--domain", seed.domain, "Domain of the users' principal names")->capture_default_str();
  sd->add_option("--users", seed.users, "Number of users")->capture_default_str()->check(CLI::Range(1, 1000000));
  sd->add_option("--interactions", seed.interactions_per_user, "Interactions per user")->capture_default_str()->check(CLI::Range(1, 100000000));
  sd->add_option("--seed", seed.seed, "Random seed")->capture_default_str();
  sd->callback([&] { exit_code = RunSeed(seed); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
