#!/usr/bin/env python3
"""The Debian package that scripts/package.sh builds: its metadata and contents (dpkg-deb); its
binary (stripped, serving a store when run from the unpacked package, and making no system call the
unit's filter refuses); its systemd unit (systemd-analyze verify and security); and its maintainer
scripts (an install, upgrade, remove and purge into a scratch root with dpkg, and the service's
restart on upgrade).

Which binary: the one this build made ($AIH_BINARY, default build/aihistory), given to
`scripts/package.sh --binary`, rather than the Release build that package.sh makes by default. That
build would be a second full compile of the server (several CPU-minutes on CI's two cold cores) to
test steps that are the same whichever binary they wrap: the tests' build is -O2 with NDEBUG as
Release is, and package.sh strips its line tables like any debug information.

Run: python3 tests/scripts/package_test.py   (ctest runs it as `debian_package`). The dpkg --root
and restart tests need root (as CI is); they are skipped otherwise.
"""
import atexit
import functools
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import tempfile
import unittest
import urllib.parse
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("AIH_BINARY", os.path.join(REPO, "build", "aihistory"))
PACKAGE_SH = os.path.join(REPO, "scripts", "package.sh")
CONFIG = "/etc/aihistory/aihistory.toml"
UNIT = "usr/lib/systemd/system/aihistory.service"


def run(*args, **kw):
    """Runs a command, failing with its output when it fails."""
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=kw.pop("timeout", 300), **kw)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
    return p.stdout


def build_package(out, revision="1"):
    # package.sh prints the .deb's path as its last line of standard output.
    return run(PACKAGE_SH, "--binary", BINARY, "--out", out, "--revision", revision).strip().splitlines()[-1]


@functools.lru_cache(maxsize=None)
def package():
    """The package of revision 1, built once for the whole file: (its path, its control folder)."""
    tmp = tempfile.mkdtemp(prefix="aih-package-")
    atexit.register(shutil.rmtree, tmp)
    deb = build_package(tmp)
    control = os.path.join(tmp, "control")
    run("dpkg-deb", "--control", deb, control)
    return deb, control


def announced_ports(test, server, schemes=("http",)):
    """The ports the OS chose, as the server announces them once its store is open."""
    ports = {}
    for line in server.stdout:
        m = re.search(r"listening on (https?)://127\.0\.0\.1:(\d+)", line)
        if m:
            ports[m.group(1)] = int(m.group(2))
            if all(scheme in ports for scheme in schemes):
                return ports
    test.fail(f"the server announced {ports}, not {schemes}: {server.stderr.read()}")


def post_form(url, fields):
    data = urllib.parse.urlencode(fields).encode()
    with urllib.request.urlopen(url, data=data, timeout=30) as r:
        return json.load(r)


def unit_settings(path):
    """The unit's settings as (key, value) pairs in order (a key may repeat, as SystemCallFilter does)."""
    pairs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", ";", "[")):
                key, _, value = line.partition("=")
                pairs.append((key, value))
    return pairs


class DebianPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="aih-package-")
        cls.deb, cls.control = package()
        cls.root = os.path.join(cls.tmp, "root")
        run("dpkg-deb", "-x", cls.deb, cls.root)
        cls.version = run(BINARY, "--version").split()[1]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def field(self, name):
        return run("dpkg-deb", "--field", self.deb, name).strip()

    # --- metadata and contents -------------------------------------------------------------------

    def test_named_after_its_version_and_architecture(self):
        arch = run("dpkg", "--print-architecture").strip()
        self.assertEqual(os.path.basename(self.deb), f"aihistory_{self.version}-1_{arch}.deb")
        self.assertEqual(self.field("Package"), "aihistory")
        self.assertEqual(self.field("Version"), f"{self.version}-1")
        self.assertEqual(self.field("Architecture"), arch)
        for name in ("Maintainer", "Description", "Section", "Installed-Size"):
            self.assertTrue(self.field(name), f"no {name} field")

    def test_depends_on_the_libraries_the_binary_links(self):
        depends = [d.strip().split()[0] for d in self.field("Depends").split(",")]
        for lib in ("libsqlite3-", "libpq", "libssl", "libsimdjson", "libstdc++"):
            self.assertTrue(any(d.startswith(lib) for d in depends), f"no {lib}* in Depends: {depends}")

    def test_the_configuration_is_a_conffile_and_the_maintainer_scripts_are_there(self):
        with open(os.path.join(self.control, "conffiles")) as f:
            self.assertEqual(f.read().split(), [CONFIG])
        for script in ("postinst", "prerm", "postrm"):
            mode = os.stat(os.path.join(self.control, script)).st_mode
            self.assertTrue(mode & 0o111, f"{script} is not executable")
        info = run("dpkg-deb", "--info", self.deb)
        for script in ("postinst", "prerm", "postrm", "conffiles", "md5sums"):
            self.assertIn(script, info)

    def test_contents(self):
        listing = run("dpkg-deb", "--contents", self.deb).splitlines()
        paths = {line.split()[-1].lstrip(".") for line in listing}
        for path in ("/usr/bin/aihistory", "/" + UNIT, "/usr/lib/sysusers.d/aihistory.conf", CONFIG,
                     "/usr/share/doc/aihistory/README.md", "/usr/share/doc/aihistory/docs/operations.md",
                     "/usr/share/doc/aihistory/copyright"):
            self.assertIn(path, paths)
        docs = sorted(f for f in os.listdir(os.path.join(REPO, "docs")) if f.endswith(".md"))
        packaged = sorted(os.listdir(os.path.join(self.root, "usr/share/doc/aihistory/docs")))
        self.assertEqual(packaged, docs)
        # Everything belongs to root, whoever built the package.
        for line in listing:
            self.assertEqual(line.split()[1], "root/root", line)
        # The store is not in the package: the unit's StateDirectory= makes it, and dpkg never removes it.
        self.assertFalse(any(p.startswith("/var/") for p in paths), sorted(paths))

    # --- the binary ------------------------------------------------------------------------------

    def test_the_binary_is_stripped(self):
        binary = os.path.join(self.root, "usr/bin/aihistory")
        sections = run("readelf", "--section-headers", "--wide", binary)
        self.assertNotIn(".debug_", sections)
        self.assertNotIn(".symtab", sections)
        size = os.path.getsize(binary)
        self.assertLess(size, 20 << 20, f"{size} bytes")
        self.assertLess(size, os.path.getsize(BINARY), "no smaller than the unstripped binary")

    def serve_until_sigterm(self, argv):
        """Runs `argv` (a server on an OS-chosen HTTP port), asks it /health/ready, stops it with SIGTERM."""
        server = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            port = announced_ports(self, server)["http"]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/ready", timeout=30) as r:
                self.assertEqual(r.status, 200)
                self.assertIn('"status":"ready"', r.read().decode())
            server.send_signal(signal.SIGTERM)
            out, err = server.communicate(timeout=60)
            self.assertEqual(server.returncode, 0, out + err)
            self.assertIn("aihistory: stopped", out)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()

    def test_the_packaged_binary_serves_a_store(self):
        binary = os.path.join(self.root, "usr/bin/aihistory")
        self.assertEqual(run(binary, "--version").strip(), f"aihistory {self.version}")
        store = os.path.join(self.tmp, "store")
        run(binary, "demo-setup", "--store", store)
        self.serve_until_sigterm([binary, "serve", "--store", store, "--address", "127.0.0.1", "--port", "0",
                                  "--https-port", "-1"])

    def test_the_units_command_line_serves_with_the_packaged_configuration(self):
        # ExecStart as the unit has it, in the unpacked root, with the packaged configuration file;
        # flags for a scratch store and a free port (flags override the file).
        binary = os.path.join(self.root, "usr/bin/aihistory")
        if "--config" not in run(binary, "serve", "--help"):
            self.skipTest("this aihistory serve has no --config yet")
        argv = dict(unit_settings(os.path.join(self.root, UNIT)))["ExecStart"].split()
        self.assertEqual(argv[:2], ["/usr/bin/aihistory", "serve"])
        argv = [self.root + a if a in ("/usr/bin/aihistory", CONFIG) else a for a in argv]
        self.assertIn(self.root + CONFIG, argv)
        store = os.path.join(self.tmp, "config-store")
        self.serve_until_sigterm(argv + ["--store", store, "--address", "127.0.0.1", "--port", "0",
                                         "--https-port", "-1"])

    def test_the_server_stays_within_the_units_system_call_filter(self):
        # A call outside SystemCallFilter= fails with EPERM under systemd, which only a real service
        # would show: trace the server through a write, an export and an HTTPS request instead, and
        # check each call it made against the filter the unit declares. As root, it runs as nobody,
        # as the service runs as its own user (SQLite, for one, chowns its files only for root).
        if shutil.which("strace") is None:
            self.fail("strace is missing: run scripts/install-deps.sh")
        settings = unit_settings(os.path.join(self.root, UNIT))
        allowed = set()
        for key, value in settings:
            if key == "SystemCallFilter":
                deny = value.startswith("~")
                names = set().union(*(syscall_group(n) for n in value.lstrip("~").split()))
                allowed = allowed - names if deny else allowed | names
        self.assertIn("write", allowed)

        sandbox = tempfile.mkdtemp(prefix="syscalls-", dir=self.tmp)
        os.chmod(self.tmp, 0o755)
        os.chmod(sandbox, 0o755)
        binary = os.path.join(sandbox, "aihistory")
        shutil.copy(os.path.join(self.root, "usr/bin/aihistory"), binary)
        store = os.path.join(sandbox, "store")
        as_user = []
        if os.geteuid() == 0:
            os.makedirs(store)
            shutil.chown(store, "nobody", "nogroup")
            as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        run(*as_user, binary, "demo-setup", "--store", store)
        with open(os.path.join(store, "demo-credentials.json")) as f:
            demo = json.load(f)
        trace = os.path.join(sandbox, "trace")
        server = subprocess.Popen(["strace", "-f", "-qq", "-o", trace, *as_user, binary, "serve", "--store", store,
                                   "--address", "127.0.0.1", "--port", "0", "--https-port", "0"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            ports = announced_ports(self, server, ("http", "https"))
            base = f"http://127.0.0.1:{ports['http']}"
            user = demo["users"]["licensed"]["id"]

            def token(app):
                return post_form(f"{base}/{demo['tenantId']}/oauth2/v2.0/token",
                                 {"grant_type": "client_credentials", "client_id": demo[app]["clientId"],
                                  "client_secret": demo[app]["clientSecret"],
                                  "scope": "https://graph.microsoft.com/.default"})["access_token"]

            item = {"@aihistory.userId": user, "id": "1767225600000", "appClass": "IPM.SkypeTeams.Message.Copilot.Teams",
                    "interactionType": "userPrompt", "createdDateTime": "2026-01-01T00:00:00Z",
                    "body": {"contentType": "text", "content": "Summarize the board deck"}}
            write = urllib.request.Request(f"{base}/v1.0/copilot/interactionHistory/interactions",
                                           data=json.dumps([item]).encode(), method="POST",
                                           headers={"Authorization": f"Bearer {token('writer')}",
                                                    "Content-Type": "application/json"})
            with urllib.request.urlopen(write, timeout=30) as r:
                self.assertEqual(json.load(r)["stored"], 1)
            export = urllib.request.Request(
                f"{base}/v1.0/copilot/users/{user}/interactionHistory/getAllEnterpriseInteractions?$top=5",
                headers={"Authorization": f"Bearer {token('exporter')}"})
            with urllib.request.urlopen(export, timeout=30) as r:
                self.assertTrue(json.load(r)["value"])
            with urllib.request.urlopen(f"https://127.0.0.1:{ports['https']}/health/ready", timeout=30,
                                        context=ssl._create_unverified_context()) as r:  # its self-signed certificate
                self.assertEqual(r.status, 200)
            # strace's child is the server (setpriv execs it): stop it as systemd would.
            with open(f"/proc/{server.pid}/task/{server.pid}/children") as f:
                os.kill(int(f.read().split()[0]), signal.SIGTERM)
            out, err = server.communicate(timeout=60)
            self.assertIn("aihistory: stopped", out, err)
        finally:
            if server.poll() is None:
                server.kill()
                server.wait()
        used = set()
        with open(trace) as f:
            lines = f.read().splitlines()
        start = next(i for i, line in enumerate(lines) if f'execve("{binary}"' in line)
        for line in lines[start + 1:]:
            m = re.match(r"\d+\s+([a-z0-9_]+)\(", line)
            if m:
                used.add(m.group(1))
        self.assertIn("fdatasync", used, "the write was not traced")
        self.assertEqual(used - allowed, set(), "system calls the unit's SystemCallFilter= refuses")
        # And the files it opens: it writes only in its store (ProtectSystem=strict makes all else
        # read-only) and reads no /proc file but its own process's (ProcSubset=pid hides the rest).
        self.assertIn(("ProtectSystem", "strict"), settings)
        self.assertIn(("ProcSubset", "pid"), settings)
        for line in lines[start + 1:]:
            m = re.search(r'open(?:at)?\((?:AT_FDCWD, )?"([^"]+)", ([A-Z_|]+)', line)
            if not m:
                continue
            path, flags = m.groups()
            if re.search(r"O_WRONLY|O_RDWR|O_CREAT", flags):
                self.assertTrue(path.startswith(store + "/") or path == "/dev/null", line)
            if path.startswith("/proc/"):
                self.assertRegex(path, r"^/proc/(self|thread-self|\d+)/", line)

    # --- the unit --------------------------------------------------------------------------------

    def test_the_unit_verifies(self):
        # systemd-analyze verify needs ExecStart's binary to exist: point it at the unpacked one.
        # (--root= would need a whole systemd tree in the root for the targets the unit names.)
        unit = os.path.join(self.tmp, "verify", "aihistory.service")
        os.makedirs(os.path.dirname(unit), exist_ok=True)
        with open(os.path.join(self.root, UNIT)) as f:
            text = f.read()
        self.assertIn("ExecStart=/usr/bin/aihistory ", text)
        with open(unit, "w") as f:
            f.write(text.replace("ExecStart=/usr/bin/aihistory ", f"ExecStart={self.root}/usr/bin/aihistory "))
        p = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertNotIn("aihistory.service", p.stdout + p.stderr)  # no warning about it either

    def test_the_unit_runs_the_service_as_the_operations_guide_says(self):
        settings = unit_settings(os.path.join(self.root, UNIT))
        value = dict(settings)  # the last of a repeated key
        self.assertTrue(value["ExecStart"].startswith(f"/usr/bin/aihistory serve --config {CONFIG}"))
        self.assertEqual(value["User"], "aihistory")
        self.assertEqual(value["StateDirectory"], "aihistory")
        self.assertEqual(value["ConfigurationDirectory"], "aihistory")
        self.assertEqual(value["LimitNOFILE"], "65536")
        self.assertEqual(value["KillSignal"], "SIGTERM")
        self.assertEqual(value["Restart"], "on-failure")
        self.assertEqual(value["CapabilityBoundingSet"], "")  # no capability: ports above 1024
        self.assertEqual(value["ProtectSystem"], "strict")
        self.assertIn(("SystemCallFilter", "@system-service"), settings)
        # systemd must wait out the server's own graceful shutdown before it kills it.
        grace = re.search(r"--shutdown-grace\b[^\n]*?=(\d+)", run(BINARY, "serve", "--help"))
        self.assertIsNotNone(grace, "no default in `serve --help` for --shutdown-grace")
        stop = re.fullmatch(r"(\d+)s?", value["TimeoutStopSec"])
        self.assertGreater(int(stop.group(1)), int(grace.group(1)))
        # The user the unit names is the one the package creates.
        with open(os.path.join(self.root, "usr/lib/sysusers.d/aihistory.conf")) as f:
            self.assertIn("u aihistory ", f.read())

    def test_the_unit_is_sandboxed(self):
        p = subprocess.run(["systemd-analyze", "security", "--offline=true", os.path.join(self.root, UNIT)],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        m = re.search(r"Overall exposure level for aihistory\.service: ([0-9.]+)", p.stdout)
        self.assertIsNotNone(m, p.stdout)
        # 1.4 with systemd 252 (Debian 12): the network and its own state are all it is left with.
        self.assertLessEqual(float(m.group(1)), 2.0, p.stdout)


@functools.lru_cache(maxsize=None)
def syscall_group(name):
    """The system calls a SystemCallFilter= name stands for: itself, or a @group's, expanded."""
    if not name.startswith("@"):
        return frozenset([name])
    names = set()
    for line in run("systemd-analyze", "syscall-filter", name).splitlines()[1:]:
        line = line.strip()
        if line and not line.startswith("#"):
            names |= syscall_group(line)
    return frozenset(names)


@unittest.skipUnless(os.geteuid() == 0, "dpkg --root installs and mount namespaces need root")
class MaintainerScripts(unittest.TestCase):
    """What dpkg does with the package on a machine, in a scratch root (dpkg --root, the scripts run
    without chroot and honour DPKG_ROOT): nothing outside the scratch root is touched."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="aih-package-dpkg-")
        cls.debs = [package()[0], build_package(cls.tmp, "2")]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="root-", dir=self.tmp)
        os.makedirs(os.path.join(self.root, "var/lib/dpkg/updates"))
        os.makedirs(os.path.join(self.root, "var/lib/dpkg/info"))
        open(os.path.join(self.root, "var/lib/dpkg/status"), "w").close()

    def dpkg(self, *args):
        # --force-depends: the scratch root has none of the libraries installed.
        return run("dpkg", f"--root={self.root}", "--force-script-chrootless", "--force-depends", "--log=/dev/null",
                   *args)

    def path(self, p):
        return os.path.join(self.root, p.lstrip("/"))

    def group_id(self, name):
        with open(self.path("/etc/group")) as f:
            for line in f:
                fields = line.split(":")
                if fields[0] == name:
                    return int(fields[2])
        self.fail(f"no group {name} in the scratch root")

    def test_install_upgrade_remove_purge(self):
        self.dpkg("--install", self.debs[0])
        status = run("dpkg-query", f"--admindir={self.path('/var/lib/dpkg')}", "--status", "aihistory")
        self.assertIn("Status: install ok installed", status)
        self.assertRegex(status, r"Conffiles:\n /etc/aihistory/aihistory\.toml [0-9a-f]{32}")
        # The service's user exists, may read the configuration, and nobody else may.
        with open(self.path("/etc/passwd")) as f:
            self.assertRegex(f.read(), r"(?m)^aihistory:x:\d+:\d+:.*:/var/lib/aihistory:/usr/sbin/nologin$")
        st = os.stat(self.path(CONFIG))
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (0, self.group_id("aihistory"), 0o640))
        # Enabled, as debhelper's snippet does on a first install.
        self.assertTrue(os.path.islink(self.path("/etc/systemd/system/multi-user.target.wants/aihistory.service")))

        # The operator edits the configuration and keeps a store; the upgrade keeps both.
        with open(self.path(CONFIG), "a") as f:
            f.write('address = "0.0.0.0"\n')
        os.makedirs(self.path("/var/lib/aihistory"))
        with open(self.path("/var/lib/aihistory/aihistory.db"), "w") as f:
            f.write("the store")
        self.dpkg("--install", self.debs[1])
        self.assertIn("Version: " + os.path.basename(self.debs[1]).split("_")[1],
                      run("dpkg-query", f"--admindir={self.path('/var/lib/dpkg')}", "--status", "aihistory"))
        with open(self.path(CONFIG)) as f:
            self.assertIn('address = "0.0.0.0"', f.read())

        # Removing keeps the configuration and the store; purging keeps the store.
        self.dpkg("--remove", "aihistory")
        self.assertFalse(os.path.exists(self.path("/usr/bin/aihistory")))
        self.assertTrue(os.path.exists(self.path(CONFIG)))
        self.assertTrue(os.path.exists(self.path("/var/lib/aihistory/aihistory.db")))
        self.dpkg("--purge", "aihistory")
        self.assertFalse(os.path.exists(self.path("/etc/aihistory")))
        self.assertFalse(os.path.exists(self.path("/etc/systemd/system/multi-user.target.wants/aihistory.service")))
        with open(self.path("/var/lib/aihistory/aihistory.db")) as f:
            self.assertEqual(f.read(), "the store")

    def test_an_operators_statoverride_on_the_configuration_is_kept(self):
        self.dpkg("--install", self.debs[0])
        run("dpkg-statoverride", f"--root={self.root}", "--update", "--add", "root", "root", "0600", CONFIG)
        self.dpkg("--install", self.debs[1])
        st = os.stat(self.path(CONFIG))
        self.assertEqual((st.st_uid, st.st_gid, st.st_mode & 0o777), (0, 0, 0o600))


@unittest.skipUnless(os.geteuid() == 0, "mount namespaces need root")
class ServiceRestartOnUpgrade(unittest.TestCase):
    """The maintainer scripts' calls to systemd, as on a machine that runs systemd: each script runs in
    a mount namespace whose /run says systemd is running, with the tools that would act on the
    machine (deb-systemd-invoke, deb-systemd-helper, systemctl, systemd-sysusers, dpkg-statoverride)
    replaced by ones that record their arguments."""

    TOOLS = ("deb-systemd-invoke", "deb-systemd-helper", "systemctl", "systemd-sysusers", "dpkg-statoverride")

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="aih-package-restart-")
        self.addCleanup(shutil.rmtree, self.tmp)
        self.bin = os.path.join(self.tmp, "bin")
        os.makedirs(self.bin)
        self.log = os.path.join(self.tmp, "calls")
        for tool in self.TOOLS:
            with open(os.path.join(self.bin, tool), "w") as f:
                # dpkg-statoverride --list succeeds: an override exists, so the postinst leaves the
                # machine's configuration file alone.
                f.write(f'#!/bin/sh\necho "{tool} $*" >>"{self.log}"\nexit 0\n')
            os.chmod(os.path.join(self.bin, tool), 0o755)
        if subprocess.run(["unshare", "--mount", "true"], capture_output=True).returncode != 0:
            self.skipTest("no mount namespaces here (unshare --mount fails)")

    def script(self, name, *args):
        """The calls the packaged maintainer script makes when dpkg runs it with these arguments."""
        open(self.log, "w").close()
        script = os.path.join(package()[1], name)  # as packaged
        inner = 'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec "$@"'
        env = dict(os.environ, PATH=f"{self.bin}:{os.environ['PATH']}")
        env.pop("DPKG_ROOT", None)
        run("unshare", "--mount", "--propagation", "private", "sh", "-c", inner, "sh", script, *args, env=env)
        with open(self.log) as f:
            return f.read().splitlines()

    def test_a_first_install_starts_the_service(self):
        calls = self.script("postinst", "configure", "")
        self.assertIn("deb-systemd-helper enable aihistory.service", calls)
        self.assertIn("deb-systemd-invoke start aihistory.service", calls)
        self.assertNotIn("deb-systemd-invoke restart aihistory.service", calls)

    def test_an_upgrade_restarts_the_running_service_after_reloading_the_unit(self):
        # dpkg: the old prerm "upgrade" (the server keeps serving), then the new postinst "configure OLD".
        self.assertNotIn("deb-systemd-invoke stop aihistory.service", self.script("prerm", "upgrade", "0.1.0-2"))
        calls = self.script("postinst", "configure", "0.1.0-1")
        self.assertIn("systemctl --system daemon-reload", calls)
        self.assertIn("deb-systemd-invoke restart aihistory.service", calls)
        self.assertLess(calls.index("systemctl --system daemon-reload"),
                        calls.index("deb-systemd-invoke restart aihistory.service"))

    def test_removing_stops_the_service(self):
        self.assertIn("deb-systemd-invoke stop aihistory.service", self.script("prerm", "remove"))
        self.assertIn("deb-systemd-helper purge aihistory.service", self.script("postrm", "purge"))


if __name__ == "__main__":
    unittest.main()
