#!/usr/bin/env python3
"""`tshark -q -z pdmv2,flows` with the plugin equals pdmv2-analyze's JSON
report on the same capture and key log: the same flows in the same order
(client and server address and port, protocol), per direction the PDM
packets, decrypted options and PSN loss, and per flow the RTT and server
delay samples' count, min, mean and max (both print 17 significant
digits, so the numbers must be equal, not close).  With TRUTH, the
same against the sample writer's ground truth (same schema), flows
matched by client, server and protocol, the delays to 1e-9 relative.

usage: dissector_flows.py TSHARK_WRAPPER PLUGIN_SO ANALYZER CAPTURE KEYLOG [TRUTH]
"""
import ipaddress
import json
import math
import re
import os
import subprocess
import sys
import tempfile

PROTO = {"tcp": 6, "udp": 17, "icmpv6": 58}
problems = []


def parse_tap(text):
    flows, cur = [], None
    for line in text.splitlines():
        m = re.match(r"Flow (\d+)  proto (\d+)  client \[(.*)\]:(\d+)  server \[(.*)\]:(\d+)$", line)
        if m:
            cur = {"id": int(m.group(1)), "proto": int(m.group(2)),
                   "client": (str(ipaddress.IPv6Address(m.group(3))), int(m.group(4))),
                   "server": (str(ipaddress.IPv6Address(m.group(5))), int(m.group(6))),
                   "dirs": {}, "metrics": {}}
            flows.append(cur)
            continue
        m = re.match(r"  (c2s|s2c)  packets (\d+)  decrypted (\d+)  lost (\d+)$", line)
        if m and cur:
            cur["dirs"][m.group(1)] = tuple(int(x) for x in m.group(2, 3, 4))
            continue
        m = re.match(r"    (rtt|server_delay) +count (\d+)(?:  min (\S+)  mean (\S+)  max (\S+))?$", line)
        if m and cur:
            n = int(m.group(2))
            cur["metrics"][m.group(1)] = (n,) + (tuple(float(x) for x in m.group(3, 4, 5)) if n else ())
    return flows


def main():
    wrapper, so, analyzer, cap, keylog = sys.argv[1:6]
    r = subprocess.run(["sh", wrapper, so, "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + keylog,
                        "-q", "-z", "pdmv2,flows"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("tshark failed: " + r.stderr[-500:])
    tap = parse_tap(r.stdout)
    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    a = subprocess.run([analyzer, "-q", "-k", keylog, "-o", out, cap], capture_output=True, text=True)
    try:
        rep = json.load(open(out))
    except ValueError:
        sys.exit("pdmv2-analyze wrote no report (rc %d): %s" % (a.returncode, a.stderr[-500:]))
    finally:
        os.unlink(out)
    if len(tap) != len(rep["flows"]):
        problems.append("tap shows %d flows, analyzer %d" % (len(tap), len(rep["flows"])))
    truth = json.load(open(sys.argv[6])) if len(sys.argv) > 6 else None
    by = {}
    if truth:
        by = {key(want_of(f)): f for f in truth["flows"]}
        if len(by) != len(tap):
            problems.append("tap shows %d flows, truth %d" % (len(tap), len(by)))
        for t in tap:
            problems.extend(compare(t, by.get(key(t)), "truth", exact=False))
    for t, f in zip(tap, rep["flows"]):
        problems.extend(compare(t, f, "analyzer", exact=True))
    for p in problems:
        print(p)
    print("%s: %d flows compared, %d differences" % ("FAIL" if problems else "ok", len(tap), len(problems)))
    sys.exit(1 if problems else 0)


def key(w):
    return (w["proto"], w["client"], w["server"])


def want_of(f):
    return {"id": f.get("id"), "proto": PROTO.get(f["protocol"], f["protocol"]),
            "client": (str(ipaddress.IPv6Address(f["client"]["addr"])), f["client"]["port"]),
            "server": (str(ipaddress.IPv6Address(f["server"]["addr"])), f["server"]["port"])}


def same(a, b, exact):
    if exact or len(a) != len(b):
        return a == b
    return all(x == y if isinstance(x, int) else math.isclose(x, y, rel_tol=1e-9)
               for x, y in zip(a, b))


def view(f):
    """A report or truth flow as the tap prints it: per direction packets,
    decrypted, lost; per metric count, min, mean, max."""
    dirs = {}
    for d in ("c2s", "s2c"):
        ad = f["directions"][d]
        dirs[d] = (ad["pdm_packets"], ad["decrypted"], ad["psn"]["lost"] if ad.get("psn") else 0)
    metrics = {}
    for m in ("rtt", "server_delay"):
        am = (f.get("metrics") or {}).get(m + "_us") or {"count": 0}
        w = (am["count"],) + ((am["min"], am["mean"], am["max"]) if am["count"] else ())
        metrics[m] = w
    return {"dirs": dirs, "metrics": metrics}


def compare(t, f, name, exact):
    if f is None:
        return ["tap flow %d (%r): not in the %s" % (t["id"], t["client"], name)]
    out = []
    where = "%s flow %d" % (name, t["id"])
    want = want_of(f)
    if not exact:
        del want["id"]      # the writer numbers flows its own way
    got = {k: t[k] for k in want}
    if got != want:
        out.append("%s: tap %r, %s %r" % (where, got, name, want))
    v = view(f)
    for d in ("c2s", "s2c"):
        if t["dirs"].get(d) != v["dirs"][d]:
            out.append("%s %s: tap packets/decrypted/lost %r, %s %r"
                       % (where, d, t["dirs"].get(d), name, v["dirs"][d]))
    for m in ("rtt", "server_delay"):
        if not same(t["metrics"].get(m, ()), v["metrics"][m], exact):
            out.append("%s %s: tap %r, %s %r" % (where, m, t["metrics"].get(m), name, v["metrics"][m]))
    return out


if __name__ == "__main__":
    main()
