#!/usr/bin/env python3
"""Compare a pdmv2-analyze report (and optionally its --dump-frames
output) with the ground truth pdmv2-sample wrote for the same capture.

Counts must be exact; min/max/mean/stddev equal to 1e-9 relative;
quantiles within 1% (the analyzer's sketch bound, PROFILE.md 7).
Exit 0 when everything agrees, 1 with one line per difference.

usage: compare_truth.py REPORT.json TRUTH.json [FRAMES.jsonl]
"""
import json
import math
import sys

EXACT_DIST = ("count",)
CLOSE_DIST = ("min", "max", "mean", "stddev")
QUANTILES = ("p50", "p90", "p99")

problems = []


def bad(where, msg):
    problems.append("%s: %s" % (where, msg))


def close(a, b, rel):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)


def same(where, got, want):
    if got != want:
        bad(where, "report %r, truth %r" % (got, want))


def compare_dist(where, got, want):
    if want is None or got is None:
        if not (want is None and got is None):
            bad(where, "report %r, truth %r" % (got, want))
        return
    for k in EXACT_DIST:
        same(where + "." + k, got.get(k), want[k])
    for k in CLOSE_DIST:
        if not close(got.get(k), want[k], 1e-9):
            bad(where + "." + k, "report %r, truth %r" % (got.get(k), want[k]))
    for k in QUANTILES:
        if not close(got.get(k), want[k], 0.01):
            bad(where + "." + k, "report %r, truth %r (over 1%%)" % (got.get(k), want[k]))


def compare(report, truth):
    for k in ("packets", "ipv6_packets"):
        same("capture." + k, report["capture"][k], truth["capture"][k])
    for k, v in truth["pdm"].items():
        same("pdm." + k, report["pdm"].get(k), v)
    rf, tf = report["flows"], truth["flows"]
    same("flows.count", len(rf), len(tf))
    for i, (g, w) in enumerate(zip(rf, tf)):
        where = "flows[%d]" % i
        for k in ("protocol", "client", "server", "pdm_versions", "encrypted",
                  "first_ts", "last_ts"):
            same(where + "." + k, g.get(k), w[k])
        for d in ("c2s", "s2c"):
            gd, wd = g["directions"][d], w["directions"][d]
            for k, v in wd.items():
                same("%s.%s.%s" % (where, d, k), gd.get(k), v)
        for m, wm in w["metrics"].items():
            compare_dist("%s.metrics.%s" % (where, m), g["metrics"].get(m), wm)
    # The anomaly list counts the same events, with frame numbers.
    an = report.get("anomalies", {})
    reuse = sum(f["directions"][d]["nonce_reuse"] for f in tf for d in ("c2s", "s2c"))
    for key, want in (("auth_failed", truth["pdm"]["auth_failed"]),
                      ("no_key", truth["pdm"]["no_key"]),
                      ("nonce_reuse", reuse),
                      ("malformed_option", truth["pdm"]["malformed"])):
        got = an.get(key, {}).get("count", 0)
        same("anomalies.%s.count" % key, got, want)
        if want and not an.get(key, {}).get("frames"):
            bad("anomalies.%s" % key, "no frame numbers listed")
    rg = {s["sender"]: s for s in report["global_pointer"]}
    same("global_pointer.senders", sorted(rg), sorted(s["sender"] for s in truth["global_pointer"]))
    for w in truth["global_pointer"]:
        g = rg.get(w["sender"])
        if g is None:
            continue
        where = "global_pointer[%s]" % w["sender"]
        for k in ("addr_type", "packets", "first", "last", "advance", "resets", "flows"):
            same(where + "." + k, g.get(k), w[k])
        if "reordered" in g and "reordered" in w:	# PROFILE.md 6 as revised
            same(where + ".reordered", g["reordered"], w["reordered"])
        for k in ("coverage", "rate_pps"):
            if not close(g.get(k), w[k], 1e-9):
                bad(where + "." + k, "report %r, truth %r" % (g.get(k), w[k]))


def compare_frames(lines, truth):
    got = {}
    for line in lines:
        line = line.strip()
        if line.startswith("{"):
            j = json.loads(line)
            got[j["frame"]] = j
    want = truth.get("frames", [])
    same("frames.count", len(got), len(want))
    for w in want:
        g = got.get(w["frame"])
        where = "frame %d" % w["frame"]
        if g is None:
            bad(where, "missing from --dump-frames")
            continue
        for k, v in w.items():
            if k in ("frame", "flow"):
                continue
            if k in ("rtt_us", "server_delay_us"):
                if not close(g.get(k), v, 1e-12):
                    bad(where + "." + k, "report %r, truth %r" % (g.get(k), v))
            else:
                same(where + "." + k, g.get(k), v)
        for k in ("kri", "rtt_us", "server_delay_us", "psntp"):
            if k in g and k not in w:
                bad(where + "." + k, "report has %r, truth has none" % g[k])


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    report = json.load(open(sys.argv[1]))
    truth = json.load(open(sys.argv[2]))
    if report.get("schema") != "pdmv2-analyze/1":
        bad("schema", "%r" % report.get("schema"))
    compare(report, truth)
    if len(sys.argv) == 4:
        compare_frames(open(sys.argv[3]).readlines(), truth)
    for p in problems[:50]:
        print(p)
    if len(problems) > 50:
        print("... %d more" % (len(problems) - 50))
    nflows = len(truth["flows"])
    print("%s: %d flows, %d frames, %d differences" % (
        "FAIL" if problems else "ok", nflows, truth["capture"]["packets"], len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
