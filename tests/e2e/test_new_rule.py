"""tools/new-rule on copies of a first-party plugin (in-tree layout): the files it writes, where it
adds the rule in rules.hpp, module.cpp and CMakeLists.txt, and what it refuses. That the scaffolded
rule builds and its test fails until written is checked on the starter by tests/sdk/starter_test.sh."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE = Path(os.environ["CENSUSQA_SOURCE_DIR"])
SCAFFOLD = SOURCE / "tools" / "new-rule"


def scaffold(*args):
    return subprocess.run([sys.executable, SCAFFOLD, *map(str, args)], capture_output=True, text=True)


class NewRule(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-new-rule-"))
        self.plugin = self.tmp / "primary-need"
        shutil.copytree(SOURCE / "plugins" / "primary-need", self.plugin)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_adds_the_rule_everywhere_in_code_order(self):
        p = scaffold(self.plugin, "PN014", "need_unchanged_for_years", "--title", "Primary need unchanged",
                     "--severity", "info", "--actor", "la_sen")
        self.assertEqual(p.returncode, 0, p.stderr)
        rule = (self.plugin / "rules" / "pn014_need_unchanged_for_years.cpp").read_text()
        self.assertIn('"PN014",\n    Severity::info,\n    Scope::pupil,\n    Actor::la_sen,\n    "Primary need unchanged",',
                      rule)
        self.assertIn("const Rule pn014_need_unchanged_for_years{&info, check};", rule)
        self.assertIn("namespace censusqa::primary_need {", rule)
        test = (self.plugin / "tests" / "pn014_need_unchanged_for_years_test.cpp").read_text()
        self.assertIn('FAIL("write the tests for PN014', test)
        self.assertIn('#include "testkit.hpp"', test)  # as the plugin's other tests include it
        header = (self.plugin / "rules" / "rules.hpp").read_text()
        self.assertIn("extern const Rule pn013_need_changed;\nextern const Rule pn014_need_unchanged_for_years;\n",
                      header)
        module = (self.plugin / "module.cpp").read_text()
        self.assertIn("      pn013_need_changed,\n      pn014_need_unchanged_for_years,\n  };", module)
        cmake = (self.plugin / "CMakeLists.txt").read_text()
        self.assertIn("  rules/pn013_need_changed.cpp\n  rules/pn014_need_unchanged_for_years.cpp)", cmake)
        self.assertIn("  tests/pn014_need_unchanged_for_years_test.cpp\n  tests/module_test.cpp)", cmake)
        self.assertEqual(cmake.count("("), cmake.count(")"))

    def test_a_code_between_others_goes_between_them(self):
        # Take PN005 out, then scaffold it back: it lands between PN004 and PN006.
        for f in (self.plugin / "rules" / "pn005_nsa.cpp", self.plugin / "tests" / "pn005_nsa_test.cpp"):
            f.unlink()
        for name in ("rules/rules.hpp", "module.cpp", "CMakeLists.txt"):
            f = self.plugin / name
            f.write_text("\n".join(l for l in f.read_text().splitlines() if "pn005_nsa" not in l) + "\n")
        p = scaffold(self.plugin, "PN005", "nsa")
        self.assertEqual(p.returncode, 0, p.stderr)
        module = (self.plugin / "module.cpp").read_text()
        self.assertIn("pn004_need_without_sen,\n      pn005_nsa,\n      pn006_same_need_twice,", module)
        cmake = (self.plugin / "CMakeLists.txt").read_text()
        self.assertIn("rules/pn004_need_without_sen.cpp\n  rules/pn005_nsa.cpp\n  rules/pn006", cmake)

    def test_refuses_what_would_clash_or_is_malformed(self):
        p = scaffold(self.plugin, "PN013", "again")
        self.assertEqual(p.returncode, 2)
        self.assertIn("PN013 is already declared", p.stderr)
        self.assertEqual(scaffold(self.plugin, "pn014", "x").returncode, 2)
        self.assertEqual(scaffold(self.plugin, "PN014", "Bad-Name").returncode, 2)
        p = scaffold(self.tmp, "PN014", "x")
        self.assertEqual(p.returncode, 2)
        self.assertIn("does not look like a censusqa plugin", p.stderr)
        self.assertFalse(list((self.plugin / "rules").glob("pn014*")))


if __name__ == "__main__":
    unittest.main()
