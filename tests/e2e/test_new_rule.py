"""tools/new-rule on copies of a first-party plugin (in-tree layout) and of plugins laid out as the starter
is: the files it writes, where it adds the rule in rules.hpp, module.cpp and CMakeLists.txt, the one
definition of a rule code (censusqa/rule.hpp's rule_code_pattern), a plugin without rules/rules.hpp
scaffolded and built, and what it refuses. That the scaffolded rule builds in the starter and its test
fails until written is checked by tests/sdk/starter_test.sh."""
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
BIN = os.environ.get("CENSUSQA_BIN")


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
        self.assertIn('.code = "PN014",\n    .severity = Severity::info,\n    .scope = Scope::pupil,\n'
                      '    .actor = Actor::la_sen,\n    .title = "Primary need unchanged",', rule)
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
        for code in ("pn014", "prb1", "PN01", "PN01444", "ABCDE001", "P014"):
            p = scaffold(self.plugin, code, "x")
            self.assertEqual(p.returncode, 2, code)
            self.assertIn(f"2 to 4 capital letters and 3 or 4 digits (PN014, ATT003, DFE2166), not '{code}'", p.stderr)
        self.assertEqual(scaffold(self.plugin, "PN014", "Bad-Name").returncode, 2)
        p = scaffold(self.tmp, "PN014", "x")
        self.assertEqual(p.returncode, 2)
        self.assertIn("does not look like a censusqa plugin", p.stderr)
        self.assertFalse(list((self.plugin / "rules").glob("pn014*")))

    def test_a_code_of_up_to_four_letters_is_accepted(self):
        p = scaffold(self.plugin, "ATT003", "late_arrivals")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("const Rule att003_late_arrivals{&info, check};",
                      (self.plugin / "rules" / "att003_late_arrivals.cpp").read_text())
        self.assertIn("extern const Rule att003_late_arrivals;", (self.plugin / "rules" / "rules.hpp").read_text())


class RuleCodeDefinition(unittest.TestCase):
    def test_the_scaffolds_copy_is_the_sdks_pattern(self):
        header = (SOURCE / "core" / "include" / "censusqa" / "rule.hpp").read_text()
        sdk = re.search(r'rule_code_pattern\s*=\s*"([^"]+)"', header).group(1)
        copy = re.search(r'^RULE_CODE_PATTERN = "([^"]+)"', SCAFFOLD.read_text(), re.M).group(1)
        self.assertEqual(copy, sdk)

    def test_the_installed_scaffold_reads_the_header_beside_it(self):
        # PREFIX/bin/censusqa-new-rule reads PREFIX/include/censusqa/rule.hpp: a narrower pattern there
        # refuses ATT003, which the scaffold's own copy accepts.
        tmp = Path(tempfile.mkdtemp(prefix="censusqa-new-rule-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        (tmp / "bin").mkdir()
        (tmp / "include" / "censusqa").mkdir(parents=True)
        shutil.copy(SCAFFOLD, tmp / "bin" / "censusqa-new-rule")
        (tmp / "include" / "censusqa" / "rule.hpp").write_text(
            'inline constexpr std::string_view rule_code_pattern = "[A-Z]{2}[0-9]{3}";\n')
        shutil.copytree(SOURCE / "examples" / "plugin-starter", tmp / "starter")
        p = subprocess.run([sys.executable, tmp / "bin" / "censusqa-new-rule", tmp / "starter", "ATT003", "x"],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("not 'ATT003'", p.stderr)


# A plugin laid out as the starter is, but declaring its rules in module.cpp: no rules/rules.hpp.
MINI_MODULE = """// mini: a plugin whose module declares its rules itself.
#include <censusqa/censusqa.hpp>

namespace mini {

extern const censusqa::Rule mp001_first;

namespace {

censusqa::RulePlugin* make_plugin() {
  static const censusqa::Rule rules[] = {
      mp001_first,
  };
  return new censusqa::RuleListPlugin(
      {.id = "mini", .name = "Mini", .version = "1.0.0", .description = "A small plugin.", .rules = rules});
}

} // namespace
} // namespace mini

CENSUSQA_PLUGIN("mini", "1.0.0", mini::make_plugin())
"""
MINI_RULE = """// MP001: the first rule.
#include <censusqa/censusqa.hpp>

namespace mini {
namespace {

using namespace censusqa;

constexpr RuleInfo info{.code = "MP001", .severity = Severity::info, .title = "First rule", .why = "Why.",
                        .how_to_fix = "How.", .needs = needs_census};

void check(RuleContext&) {}

} // namespace

extern const Rule mp001_first; // module.cpp's declaration (a const needs it to be seen from there)
const Rule mp001_first{&info, check};

} // namespace mini
"""
MINI_CMAKE = """cmake_minimum_required(VERSION 3.20)
project(mini LANGUAGES CXX)
find_package(censusqa 0.1 REQUIRED)
censusqa_add_plugin(NAME mini MODULE module.cpp RULES
  rules/mp001_first.cpp)
find_package(Catch2 2.13 REQUIRED)
add_executable(test_mini
  tests/module_test.cpp
  $<TARGET_OBJECTS:mini_rules>)
"""


class WithoutRulesHeader(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="censusqa-new-rule-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.plugin = self.tmp / "mini"
        (self.plugin / "rules").mkdir(parents=True)
        (self.plugin / "tests").mkdir()
        (self.plugin / "module.cpp").write_text(MINI_MODULE)
        (self.plugin / "rules" / "mp001_first.cpp").write_text(MINI_RULE)
        (self.plugin / "tests" / "module_test.cpp").write_text("// the plugin's tests\n")
        (self.plugin / "CMakeLists.txt").write_text(MINI_CMAKE)

    def test_creates_rules_hpp_and_the_plugin_builds_with_the_new_rule(self):
        p = scaffold(self.plugin, "MP002", "second", "--title", "Second rule")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("rules.hpp (new)", p.stdout)
        header = (self.plugin / "rules" / "rules.hpp").read_text()
        self.assertIn("#include <censusqa/censusqa.hpp>\n\nnamespace mini {\n\n"
                      "extern const censusqa::Rule mp002_second;\n\n} // namespace mini\n", header)
        module = (self.plugin / "module.cpp").read_text()
        self.assertIn('#include <censusqa/censusqa.hpp>\n#include "rules/rules.hpp"\n', module)
        self.assertIn("      mp001_first,\n      mp002_second,\n  };", module)
        cmake = (self.plugin / "CMakeLists.txt").read_text()
        self.assertIn("  rules/mp001_first.cpp\n  rules/mp002_second.cpp)", cmake)
        self.assertIn("  tests/mp002_second_test.cpp\n  tests/module_test.cpp\n", cmake)

        # It builds, warning-free, and the plugin declares the new rule.
        inc = self.tmp / "inc" / "censusqa"
        inc.mkdir(parents=True)
        (inc / "testing").symlink_to(SOURCE / "tests" / "testkit")
        flags = ["-std=c++20", "-Wall", "-Wextra", "-Werror", "-fPIC", "-fvisibility=hidden", "-frtti",
                 f"-I{SOURCE / 'core' / 'include'}", f"-I{self.tmp / 'inc'}"]
        so = self.tmp / "mini.so"
        cc = subprocess.run(["c++", *flags, "-shared", "-o", so, self.plugin / "module.cpp",
                             self.plugin / "rules" / "mp001_first.cpp", self.plugin / "rules" / "mp002_second.cpp"],
                            capture_output=True, text=True)
        self.assertEqual(cc.returncode, 0, cc.stderr)
        cc = subprocess.run(["c++", *flags, "-fsyntax-only", self.plugin / "tests" / "mp002_second_test.cpp"],
                            capture_output=True, text=True)
        self.assertEqual(cc.returncode, 0, cc.stderr)
        if BIN:
            rules = subprocess.run([BIN, "rules", "MP002", "--plugins", so], capture_output=True, text=True)
            self.assertEqual(rules.returncode, 0, rules.stderr)
            self.assertIn("Second rule", rules.stdout)

    def test_refuses_a_module_without_a_rule_list_and_writes_nothing(self):
        (self.plugin / "module.cpp").write_text(MINI_MODULE.replace("      mp001_first,\n", ""))
        p = scaffold(self.plugin, "MP002", "second")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no 'rules[] = { ... }' list", p.stderr)
        self.assertFalse((self.plugin / "rules" / "rules.hpp").exists())
        self.assertFalse(list(self.plugin.rglob("mp002*")))


if __name__ == "__main__":
    unittest.main()
