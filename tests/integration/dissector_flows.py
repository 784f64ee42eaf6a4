#!/usr/bin/env python3
"""`tshark -q -z pdmv2,flows` with the plugin (the table Wireshark shows
under Statistics, as tshark prints it) equals pdmv2-analyze's JSON
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


# The table's columns, as tshark's printer for statistics tables heads
# them ("NAME |" each), then a line with the table's title, then a row
# per flow ("VALUE |" each) up to the closing rule.
COLUMNS = ["Flow", "Protocol", "Client", "Server",
           "C2S packets", "C2S decrypted", "C2S lost",
           "S2C packets", "S2C decrypted", "S2C lost",
           "RTT count", "RTT min (us)", "RTT mean (us)", "RTT max (us)",
           "Server delay count", "Server delay min (us)",
           "Server delay mean (us)", "Server delay max (us)"]


def cells(line):
    if not line.endswith(" |"):
        return None
    return line[:-2].split(" |")


def endpoint(text):
    m = re.match(r"\[(.*)\]:(\d+)$", text)
    if not m:
        raise ValueError("not [address]:port: %r" % text)
    return (str(ipaddress.IPv6Address(m.group(1))), int(m.group(2)))


def metric(v):
    """count, min, mean, max cells: (count,) when empty, whose delays
    must then read nan; else (count, min, mean, max)."""
    n = int(v[0])
    if n == 0:
        if v[1:] != ["nan"] * 3:
            raise ValueError("no sample but delays %r" % v[1:])
        return (0,)
    return (n,) + tuple(float(x) for x in v[1:])


def parse_tap(text):
    lines = text.splitlines()
    try:
        head = next(i for i, l in enumerate(lines) if l.startswith("Flow |"))
    except StopIteration:
        sys.exit("no table head in tshark's output:\n" + text[-2000:])
    if cells(lines[head]) != COLUMNS:
        sys.exit("table columns %r, want %r" % (cells(lines[head]), COLUMNS))
    flows = []
    for line in lines[head + 2:]:
        if line.startswith("====="):
            break
        v = cells(line)
        if v is None or len(v) != len(COLUMNS):
            sys.exit("not a table row: %r" % line)
        flows.append({"id": int(v[0]), "proto": PROTO.get(v[1]) or int(v[1]),
                      "client": endpoint(v[2]), "server": endpoint(v[3]),
                      "dirs": {"c2s": tuple(int(x) for x in v[4:7]),
                               "s2c": tuple(int(x) for x in v[7:10])},
                      "metrics": {"rtt": metric(v[10:14]), "server_delay": metric(v[14:18])}})
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
