#!/usr/bin/env python3
"""Real tshark with the built plugin on a bundled sample, frame by
frame against the sample writer's truth and against pdmv2-analyze.

Checks: every PDM frame's pdmv2.* fields equal the truth (variant,
layout, decrypted, kri, epoch, version, reserved, random, flag, metrics,
RTT, server delay, and pdmv2.rtt / pdmv2.server_delay as relative times
equal to the _us numbers); fields from the encrypted part appear only
when the tag verified, the Epoch layout's clear Epoch and PSNTP always; the plugin's own "invalid length" expert info on no valid
frame (Wireshark's own "PDM: Invalid length" on PDMv2 lengths stays, as
without the plugin: dissector_invisible.py compares that); one auth-failed /
no-key / nonce-reuse expert info per such frame of the truth; RFC 8250
frames show the same values as Wireshark's own ipv6.opt.pdm.* fields;
per flow direction, the PSN duplicate and reordered expert infos number
the truth's duplicates and reordered, and the PSNs the loss infos call
missing, less the reordered ones that came back, the truth's loss; per
sender address, the Global Pointer reset infos number the truth's
resets; pdmv2.pair_frame names a frame of the other direction whose
PSNTP is this frame's PSNLR;
TCP/UDP above still decode with good checksums; pdmv2-analyze's
per-frame dump agrees with the plugin.

usage: dissector_check.py TSHARK_WRAPPER PLUGIN_SO ANALYZER CAPTURE KEYLOG TRUTH
"""
import json
import math
import re
import subprocess
import sys

FIELDS = ["frame.number", "pdmv2.variant", "pdmv2.layout", "pdmv2.epoch",
          "pdmv2.decrypted", "pdmv2.kri",
          "pdmv2.version", "pdmv2.reserved", "pdmv2.random", "pdmv2.flag",
          "pdmv2.scale_dtlr", "pdmv2.scale_dtls", "pdmv2.global_pointer",
          "pdmv2.psntp", "pdmv2.psnlr", "pdmv2.delta_tlr", "pdmv2.delta_tls",
          "pdmv2.rtt_us", "pdmv2.server_delay_us", "pdmv2.rtt", "pdmv2.server_delay",
          "pdmv2.pair_frame",
          "_ws.expert.message",
          "ipv6.opt.pdm.scale_dtlr", "ipv6.opt.pdm.scale_dtls",
          "ipv6.opt.pdm.psn_this_pkt", "ipv6.opt.pdm.psn_last_recv",
          "ipv6.opt.pdm.delta_last_recv", "ipv6.opt.pdm.delta_last_sent",
          "ip.proto", "ipv6.nxt", "tcp.stream", "tcp.checksum.status",
          "udp.srcport", "udp.checksum.status", "icmpv6.checksum.status"]
METRICS = ["scale_dtlr", "scale_dtls", "global_pointer", "psntp", "psnlr",
           "delta_tlr", "delta_tls"]
LAYOUTS = {"kri": 1, "epoch": 2}
CLEAR = {"epoch": ["psntp"]}     # metric fields outside the sealed part (2.5)
V1_MAP = {"scale_dtlr": "ipv6.opt.pdm.scale_dtlr", "scale_dtls": "ipv6.opt.pdm.scale_dtls",
          "psntp": "ipv6.opt.pdm.psn_this_pkt", "psnlr": "ipv6.opt.pdm.psn_last_recv",
          "delta_tlr": "ipv6.opt.pdm.delta_last_recv",
          "delta_tls": "ipv6.opt.pdm.delta_last_sent"}

problems = []


def bad(msg):
    problems.append(msg)


def num(v):
    if v == "":
        return None
    if v in ("True", "False"):
        return v == "True"
    try:
        return int(v, 0)
    except ValueError:
        return float(v)


def main():
    wrapper, so, analyzer, cap, keylog, truth_path = sys.argv[1:7]
    truth = json.load(open(truth_path))
    cmd = ["sh", wrapper, so, "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + keylog,
           "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
           "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("tshark failed: %s" % out.stderr)
    rows = {}
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        row = dict(zip(FIELDS, cols))
        rows[int(row["frame.number"])] = row
    if len(rows) != truth["capture"]["packets"]:
        bad("tshark shows %d frames, truth %d" % (len(rows), truth["capture"]["packets"]))

    counts = {"auth": 0, "nokey": 0, "reuse": 0}
    for row in rows.values():
        msg = row["_ws.expert.message"]
        if "none of 10 (RFC 8250)" in msg:
            bad("frame %s: %s" % (row["frame.number"], msg))
        counts["auth"] += msg.count("authentication failed")
        counts["nokey"] += msg.count("No key for this flow")
        counts["reuse"] += msg.count("nonce reuse")
        for proto in ("tcp", "udp"):
            st = row["%s.checksum.status" % proto]
            if st and st != "1":
                bad("frame %s: %s checksum status %s" % (row["frame.number"], proto, st))

    flows = truth["flows"]
    for tf in truth["frames"]:
        n = tf["frame"]
        row = rows.get(n)
        where = "frame %d" % n
        if row is None:
            bad(where + ": not shown by tshark")
            continue
        g = {k.split(".", 1)[1]: num(v) for k, v in row.items()
             if k.startswith("pdmv2.") and k not in ("pdmv2.rtt", "pdmv2.server_delay",
                                                     "pdmv2.pair_frame")}
        for k in ("rtt", "server_delay"):
            us, rel = g[k + "_us"], row["pdmv2." + k]
            if (us is None) != (rel == "") or (us is not None and abs(float(rel) * 1e6 - us) > 0.001):
                bad("%s: pdmv2.%s %r but pdmv2.%s_us %r" % (where, k, rel, k, us))
        if g["variant"] != tf["variant"]:
            bad("%s: pdmv2.variant %r, truth %r" % (where, g["variant"], tf["variant"]))
        proto = flows[tf["flow"]]["protocol"]
        if proto == "tcp" and row["tcp.stream"] == "":
            bad(where + ": tcp.stream missing")
        if proto == "udp" and row["udp.srcport"] == "":
            bad(where + ": udp.srcport missing")
        readable = tf["status"] in ("plain", "decrypted")
        # truth written before the Epoch layout names no layout: Kri
        layout = tf.get("layout", "kri" if tf["variant"] in (2, 3) else None)
        if g["layout"] != LAYOUTS.get(layout):
            bad("%s: pdmv2.layout %r, truth %r" % (where, g["layout"], layout))
        clear = CLEAR.get(layout, [])
        if tf["variant"] == 3:
            want = tf["status"] == "decrypted"
            if g["decrypted"] != want:
                bad("%s: pdmv2.decrypted %r, truth status %s" % (where, g["decrypted"], tf["status"]))
            if want and g["kri"] != tf.get("kri"):
                bad("%s: pdmv2.kri %r, truth %r" % (where, g["kri"], tf.get("kri")))
            if not want:
                for k in METRICS + ["kri", "rtt_us", "server_delay_us"]:
                    if g[k] is not None and k not in clear:
                        bad("%s: %s shown although the tag did not verify" % (where, k))
        for k in ("version", "reserved", "random", "flag", "epoch"):
            if k in tf and g[k] != tf[k] and (readable or k != "reserved"):
                bad("%s: pdmv2.%s %r, truth %r" % (where, k, g[k], tf[k]))
        for k in METRICS:
            if k in tf and (readable or k in clear) and g[k] != tf[k]:
                bad("%s: pdmv2.%s %r, truth %r" % (where, k, g[k], tf[k]))
        for k in ("rtt_us", "server_delay_us"):
            w = tf.get(k)
            if (w is None) != (g[k] is None) or (w is not None and not math.isclose(g[k], w, rel_tol=1e-9)):
                bad("%s: pdmv2.%s %r, truth %r" % (where, k, g[k], w))
        if tf["variant"] == 1:
            for k, wf in V1_MAP.items():
                if num(row[wf]) != g[k]:
                    bad("%s: pdmv2.%s %r but Wireshark's %s %r" % (where, k, g[k], wf, row[wf]))

    # PSN and Global Pointer findings, per direction / sender.
    by_frame = {tf["frame"]: tf for tf in truth["frames"]}
    psn = {}
    gp = {}
    for tf in truth["frames"]:
        row = rows.get(tf["frame"])
        if row is None:
            continue
        msg = row["_ws.expert.message"]
        key = (tf["flow"], tf["dir"])
        c = psn.setdefault(key, {"dup": 0, "reord": 0, "missing": 0})
        c["dup"] += msg.count("Duplicate PSN")
        c["reord"] += msg.count("below the highest seen: reordered")
        for m in re.finditer(r"(\d+) PSN\(s\) missing before", msg):
            c["missing"] += int(m.group(1))
        fl = flows[tf["flow"]]
        sender = fl["client" if tf["dir"] == "c2s" else "server"]["addr"]
        gp[sender] = gp.get(sender, 0) + msg.count("Global Pointer") * ("went back" in msg)
        pf = row["pdmv2.pair_frame"]
        if pf:
            other = by_frame.get(int(pf))
            if other is None or other["dir"] == tf["dir"] or other["flow"] != tf["flow"] \
                    or other.get("psntp") != tf.get("psnlr"):
                bad("frame %d: pdmv2.pair_frame %s is not the peer's packet with PSNTP %r"
                    % (tf["frame"], pf, tf.get("psnlr")))
    for fi, fl in enumerate(flows):
        for d in ("c2s", "s2c"):
            want = fl["directions"][d].get("psn")
            got = psn.get((fi, d), {"dup": 0, "reord": 0, "missing": 0})
            if not want:
                continue
            if (got["dup"], got["reord"], got["missing"] - got["reord"]) != \
                    (want["duplicates"], want["reordered"], want["lost"]):
                bad("flow %d %s: PSN infos dup %d reordered %d missing-reordered %d, truth %r"
                    % (fi, d, got["dup"], got["reord"], got["missing"] - got["reord"], want))
    for g in truth.get("global_pointer", []):
        if gp.get(g["sender"], 0) != g["resets"]:
            bad("sender %s: %d Global Pointer reset infos, truth %d"
                % (g["sender"], gp.get(g["sender"], 0), g["resets"]))

    auth = truth["pdm"]["auth_failed"]
    nokey = truth["pdm"]["no_key"]
    reuse = sum(f["directions"][d]["nonce_reuse"] for f in flows for d in ("c2s", "s2c"))
    for name, got, want in (("auth failed", counts["auth"], auth),
                            ("no key", counts["nokey"], nokey),
                            ("nonce reuse", counts["reuse"], reuse)):
        if got != want:
            bad("%s expert infos: %d, truth %d" % (name, got, want))

    # The plugin and the analyzer share lib/: every field the analyzer's
    # per-frame dump gives, the plugin shows the same, and the analyzer's
    # status is the truth's.
    dump = subprocess.run([analyzer, "-q", "--dump-frames", "-k", keylog, "-o", "/dev/null", cap],
                          capture_output=True, text=True)
    compared = 0
    for line in dump.stderr.splitlines():
        if not line.startswith("{"):
            continue
        a = json.loads(line)
        row, tf = rows.get(a["frame"]), by_frame.get(a["frame"])
        if row is None or tf is None:
            continue
        if a.get("status") != tf["status"]:
            bad("frame %d: analyzer status %s, truth %s" % (a["frame"], a.get("status"), tf["status"]))
            continue
        compared += 1
        for k, v in a.items():
            if k in ("frame", "flow", "dir", "status"):
                continue
            if tf.get("layout") == "epoch" and k in ("random", "flag") and v == 0:
                continue        # no such fields in the Epoch layout
            if k == "reserved" and tf.get("layout") == "epoch" and \
                    a.get("status") not in ("plain", "decrypted"):
                continue        # sealed in the Epoch layout
            if k == "layout":
                v = LAYOUTS.get(v, v)
            got = num(row.get("pdmv2." + k, ""))
            same = got == v if not isinstance(v, float) else \
                got is not None and math.isclose(got, v, rel_tol=1e-9)
            if not same:
                bad("frame %d: plugin %s %r, analyzer %r" % (a["frame"], k, got, v))
        if tf["variant"] == 3 and bool(num(row["pdmv2.decrypted"])) != (a["status"] == "decrypted"):
            bad("frame %d: plugin pdmv2.decrypted %r, analyzer status %s"
                % (a["frame"], row["pdmv2.decrypted"], a["status"]))
    print("analyzer dump: %d frames compared field by field" % compared)

    for p in problems[:40]:
        print(p)
    print("%s: %d frames, %d PDM frames, %d auth-failed, %d no-key, %d nonce-reuse infos, %d differences"
          % ("FAIL" if problems else "ok", len(rows), len(truth["frames"]), counts["auth"],
             counts["nokey"], counts["reuse"], len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
