# Usage: python3 notes/docs-split-check.py OLD_README.md  (run at the repository root; e.g. OLD_README.md = `git show main:README.md`)
# Every paragraph (and table row, list item, code line run) of the old README appears in README.md or docs/*.md,
# compared after normalizing whitespace and reducing links to their text; the deliberate edits (links that replace
# "above"/"below"/"see the README") are listed and applied to the old text first. Prints what is missing.
import re, glob, sys
old = open(sys.argv[1]).read()
EDITS = [
    ("for UCloud's example command below:", "for UCloud's example command (Clouds):"),
    ("environment variables of each cloud (below), never", "environment variables of each cloud (Clouds), never"),
    ("variables (see the README), never from flags", "variables (see docs/clouds.md), never from flags"),
    ('(see "Unit tests" below)', "(see Unit tests with Pulumi's mocks)"),
    ("Every TypeScript block in this README and", "Every TypeScript block in the README and"),
    ("(see each cloud's section).", "(see each cloud's section in Clouds)."),
    ("# then: real clouds, with the configuration above", "# then: real clouds, configured as in docs/clouds.md"),
    ("install the npm package (above).", "install the npm package (the TypeScript SDK)."),
    ("`cloudimages:<cloud>` objects as above", "`cloudimages:<cloud>` objects as for the SDK"),
    ("and a README section;", "and a section in `docs/clouds.md`;"),
    ("npm run bench -- --update-readme               # also", "npm run bench -- --update-docs                 # also"),
]
def norm(s):
    s = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', s)   # links → their text
    s = re.sub(r'^#+ ', '', s, flags=re.M)           # heading levels
    return re.sub(r'\s+', ' ', s).strip()
oldn = old
for a, b in EDITS:
    assert norm(a) in norm(oldn), a
oldtext = re.sub(r'^<!-- /?(sub)?section:[\w-]+ -->\n', '', old, flags=re.M)
new = '\n'.join(open(f).read() for f in ['README.md'] + sorted(glob.glob('docs/*.md')))
newn = norm(new)
missing, checked = [], 0
for block in re.split(r'\n\s*\n|\n(?=#)', oldtext):
    for item in re.split(r'\n(?=- |\| |\d+\. |```)', block):
        n = norm(item)
        for a, b in EDITS: n = n.replace(norm(a), norm(b))
        if not n: continue
        checked += 1
        if n not in newn: missing.append(item)
for m in missing: print('MISSING:\n' + m + '\n')
print(f'{checked} paragraphs, rows and items checked; {len(missing)} missing', file=sys.stderr)
