"""The installed documentation stands on its own: install censusqa to a temporary prefix and check that
every relative link (and image) in every markdown file under share/doc/censusqa resolves inside the
prefix, that the plugin guide's starter is there, and that the help texts point at installed docs
rather than at specs that are not shipped.
Usage: installed_docs_test.py BUILD_DIR"""
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
IMG = re.compile(r"<img[^>]*\ssrc=\"([^\"]+)\"")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


def broken_links(md: Path, root: Path):
    """The relative links of `md` that do not resolve to a file or folder inside `root`."""
    text = md.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks are not links
    bad = []
    for target in LINK.findall(text) + IMG.findall(text):
        if EXTERNAL.match(target):
            continue
        path = target.split("#", 1)[0]
        resolved = (md.parent / path).resolve()
        if not resolved.exists() or root.resolve() not in (resolved, *resolved.parents):
            bad.append(f"{md.relative_to(root)}: {target}")
    return bad


def main():
    build = Path(sys.argv[1])
    tmp = Path(tempfile.mkdtemp(prefix="censusqa-docs-"))
    try:
        # The checker finds a broken link (so that a pass below means something).
        (tmp / "self").mkdir()
        (tmp / "self" / "a.md").write_text("[ok](a.md) [gone](missing/b.md) [web](https://x.org) [here](#top)\n"
                                           "```\n[in code](nowhere.md)\n```\n")
        assert broken_links(tmp / "self" / "a.md", tmp / "self") == ["a.md: missing/b.md"], "the checker is broken"

        prefix = tmp / "prefix"
        subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)], check=True,
                       stdout=subprocess.DEVNULL)
        docs = prefix / "share" / "doc" / "censusqa"
        files = sorted(docs.rglob("*.md"))
        names = {str(f.relative_to(docs)) for f in files}
        for needed in ("README.md", "docs/plugin-guide.md", "docs/rules.md", "examples/plugin-starter/README.md"):
            assert needed in names, f"{needed} is not installed in {docs}"
        for needed in ("examples/plugin-starter/CMakeLists.txt", "examples/plugin-starter/module.cpp"):
            assert (docs / needed).is_file(), f"{needed} is not installed in {docs}"
        bad = [b for f in files for b in broken_links(f, docs)]
        assert not bad, "relative links that do not resolve in the installed docs:\n  " + "\n  ".join(bad)

        # Help texts name installed docs, not the project's specs.
        censusqa = prefix / "bin" / "censusqa"
        readme = (docs / "README.md").read_text(encoding="utf-8")
        for args in (["run", "--help"], ["validate", "--help"], ["rules", "IN002"]):
            out = subprocess.run([str(censusqa), *args], capture_output=True, text=True).stdout
            assert "spec/" not in out and "../shared" not in out, f"censusqa {' '.join(args)} names a spec:\n{out}"
            assert "share/doc/censusqa/" in out, f"censusqa {' '.join(args)} does not point at the docs:\n{out}"
            assert '"The LA folder"' in out and "## The LA folder" in readme
        print(f"installed docs: {len(files)} markdown files, every relative link resolves")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
