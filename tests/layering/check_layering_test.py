#!/usr/bin/env python3
"""Tests of scripts/check-layering.py: the real tree passes, and each kind of violation injected into
a copy of it (or into a small synthetic tree) is caught and named.

Run: python3 tests/layering/check_layering_test.py   (ctest runs it as `layering_checker`)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECKER = os.path.join(REPO, "scripts", "check-layering.py")


def run_checker(root):
    p = subprocess.run([sys.executable, CHECKER, root], capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class RealTree(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="aih-layering-")
        shutil.copy(os.path.join(REPO, "CMakeLists.txt"), self.tmp)
        shutil.copytree(os.path.join(REPO, "src"), os.path.join(self.tmp, "src"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_the_repository_passes(self):
        code, out = run_checker(REPO)
        self.assertEqual(code, 0, out)

    def test_an_upward_include_is_caught_and_named(self):
        # store is below api: a store file including an api header is the violation to catch.
        path = os.path.join(self.tmp, "src", "store", "store.h")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("#pragma once\n", '#pragma once\n#include "api/export_resource.h"\n', 1))
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn('src/store/store.h', out)
        self.assertIn('"api/export_resource.h": api is above store', out)

    def test_an_undeclared_sideways_include_is_caught(self):
        # http and store are unrelated: neither declares the other.
        write(self.tmp, "src/http/extra.cc", '#include "store/store.h"\n')
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("src/http/extra.cc:1", out)
        self.assertIn("http does not declare store", out)

    def test_a_new_folder_must_be_declared(self):
        write(self.tmp, "src/retention/policy.h", "#pragma once\n")
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("src/retention: module without a declaration", out)


class SyntheticTree(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="aih-layering-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_a_declared_cycle_is_caught(self):
        write(self.tmp, "CMakeLists.txt", "aih_module(low aih_high)\naih_module(high aih_low)\n")
        write(self.tmp, "src/low/a.h", "")
        write(self.tmp, "src/high/b.h", "")
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("form a cycle", out)

    def test_transitive_use_is_allowed(self):
        write(self.tmp, "CMakeLists.txt", "aih_module(base)\naih_module(mid aih_base)\naih_module(top aih_mid)\n")
        write(self.tmp, "src/base/a.h", "")
        write(self.tmp, "src/mid/b.h", '#include "base/a.h"\n')
        write(self.tmp, "src/top/c.cc", '#include "base/a.h"\n#include "mid/b.h"\n#include <vector>\n')
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 0, out)

    def test_an_exception_allows_one_pair_and_must_stay_needed(self):
        cmake = "aih_module(low)\naih_module(high aih_low)\naih_layering_exception(low high)\n"
        write(self.tmp, "CMakeLists.txt", cmake)
        write(self.tmp, "src/high/h.h", "")
        write(self.tmp, "src/low/l.cc", '#include "high/h.h"\n')
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 0, out)
        # Once the include is gone, the exception must go too.
        write(self.tmp, "src/low/l.cc", "")
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("aih_layering_exception(low high) is no longer needed", out)

    def test_a_commented_out_declaration_does_not_count(self):
        write(self.tmp, "CMakeLists.txt", "aih_module(low)  # aih_high\naih_module(high aih_low)\n")
        write(self.tmp, "src/high/h.h", "")
        write(self.tmp, "src/low/l.cc", '#include "high/h.h"\n')
        code, out = run_checker(self.tmp)
        self.assertEqual(code, 1, out)
        self.assertIn("src/low/l.cc:1", out)


if __name__ == "__main__":
    unittest.main()
