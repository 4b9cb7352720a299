#!/usr/bin/env python3
"""A port already taken is reported clearly, with the way to choose another: by `aihistory serve`
(--port, --https-port) and by scripts/run-demo.sh (AIH_PORT, AIH_HTTPS_PORT), the latter before it
builds or prints any instructions (as when the demo is started a second time).

Run: python3 tests/scripts/port_in_use_test.py   (the binary: $AIH_BINARY, default build/aihistory;
ctest runs it as `port_in_use` with the binary it built).
"""
import os
import shutil
import socket
import subprocess
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("AIH_BINARY", os.path.join(REPO, "build", "aihistory"))


def taken_port():
    """A loopback socket listening on a port chosen by the OS, as a running server would."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    return s, s.getsockname()[1]


class ServeOnATakenPort(unittest.TestCase):
    def setUp(self):
        self.store = tempfile.mkdtemp(prefix="aih-port-")

    def tearDown(self):
        shutil.rmtree(self.store)

    # Exit status 1: the port may come free (a server still shutting down), so the package's unit
    # retries; 2 is kept for a configuration that must change (tests/cli/serve_exit_status_test.cc).
    def serve(self, *args):
        return subprocess.run([BINARY, "serve", "--store", self.store, "--address", "127.0.0.1", *args],
                              capture_output=True, text=True, timeout=60)

    def test_http_port_in_use_names_the_port_and_the_option(self):
        s, port = taken_port()
        with s:
            p = self.serve("--port", str(port), "--https-port", "-1")
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"port {port} is in use; choose another with --port", p.stderr)

    def test_https_port_in_use_names_the_https_option(self):
        s, port = taken_port()
        with s:
            p = self.serve("--port", "0", "--https-port", str(port))
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(f"port {port} is in use; choose another with --https-port", p.stderr)


class RunDemoOnATakenPort(unittest.TestCase):
    def run_demo(self, env):
        # AIH_DATA points to a store that does not exist: the check must come before anything else.
        env = dict(os.environ, AIH_DATA=os.path.join(tempfile.gettempdir(), "aih-port-test-no-store"), **env)
        return subprocess.run([os.path.join(REPO, "scripts", "run-demo.sh")], capture_output=True,
                              text=True, env=env, timeout=60)

    def check(self, taken_var, other_var):
        s, port = taken_port()
        with s:
            # The other port: free (the OS chose it and let it go).
            free, other = taken_port()
            free.close()
            p = self.run_demo({taken_var: str(port), other_var: str(other)})
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, 1, out)
        self.assertIn(f"port {port} is in use", p.stderr)
        self.assertIn(f"choose another with {taken_var}", p.stderr)
        # Nothing else was done or printed: no package check, no build, no instructions.
        self.assertNotIn("building", out)
        self.assertNotIn("aihistory demo:", out)
        self.assertNotIn("TOKEN=", out)

    def test_http_port_in_use(self):
        self.check("AIH_PORT", "AIH_HTTPS_PORT")

    def test_https_port_in_use(self):
        self.check("AIH_HTTPS_PORT", "AIH_PORT")


if __name__ == "__main__":
    unittest.main()
