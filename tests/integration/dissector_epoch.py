#!/usr/bin/env python3
"""The Epoch layout (PROFILE.md 2.5, 5.5) in real tshark with the built
plugin, on captures built here from the spec's own vectors
(vectors/pdmv2-epoch.json), so every expected value is the spec's:

- vectors: per AEAD suite, one capture holding each protected option of
  the vector file in a packet of its 5-tuple (UDP, TCP, ICMPv6) and a
  key log of the vectors' secrets: every option opens, and pdmv2.layout,
  .epoch, .psntp (32-bit), .psnlr (32-bit), .global_pointer, scales,
  reserved and deltas equal the vector; per direction the Epochs 0, 1,
  7, 4095 give one "moved on" and two "jumped" expert infos; a second
  pass (tshark -2) shows the same fields;
- bad input: the tamper case and a tag with one bit flipped fail
  authentication (expert info, no sealed field shown, the clear Epoch
  and PSNTP still shown); the same option twice is a repeated
  observation and a duplicate PSN, not a nonce reuse; an option of a
  direction without a key shows its clear Epoch and PSNTP and a no-key
  info; the plain vector decodes to its values; Version 3 stops after
  the Epoch; 22- and 38-byte options cut short by their header get a
  "cut short" info; an Epoch jump gets its info;
- every capture: nothing else changes (dissector_invisible.py: PDML,
  conv/endpoints/phs identical but the pdmv2 elements), so no exception
  of the plugin marks Wireshark's frame malformed.

usage: dissector_epoch.py TSHARK_WRAPPER PLUGIN_SO VECTORS_JSON
"""
import ipaddress
import json
import os
import struct
import subprocess
import sys
import tempfile

problems = []
FIELDS = ["frame.number", "pdmv2.variant", "pdmv2.layout", "pdmv2.decrypted",
          "pdmv2.version", "pdmv2.epoch", "pdmv2.psntp", "pdmv2.psnlr",
          "pdmv2.global_pointer", "pdmv2.scale_dtlr", "pdmv2.scale_dtls",
          "pdmv2.reserved", "pdmv2.delta_tlr", "pdmv2.delta_tls", "pdmv2.kri",
          "pdmv2.encrypted_data", "pdmv2.tag", "_ws.expert.message", "_ws.malformed"]
METRICS = ["psnlr", "global_pointer", "scale_dtlr", "scale_dtls", "reserved",
           "delta_tlr", "delta_tls"]
PROTO = {6: "tcp", 17: "udp", 58: "icmpv6"}


def addr(a):
    return ipaddress.IPv6Address(a).packed


def upper(proto, sport, dport):
    if proto == 17:
        return struct.pack("!HHHH", sport, dport, 8, 0)
    if proto == 6:      # ACK, no SYN: the first packet's sender is the client
        return struct.pack("!HHIIBBHHH", sport, dport, 1, 1, 5 << 4, 0x10, 8192, 0, 0)
    return struct.pack("!BBHHH", 128, 0, 0, 1, 1)     # ICMPv6 echo request


def packet(src, dst, proto, sport, dport, option, hdr_len=None):
    """IPv6 + Destination Options (the option, then PadN to 8) + upper
    layer.  hdr_len forces a header shorter than the option (cut)."""
    body = bytes([proto, 0]) + option
    if hdr_len is None:
        pad = (-len(body)) % 8
        if pad == 1:
            body += b"\0"
        elif pad:
            body += bytes([1, pad - 2]) + bytes(pad - 2)
    else:
        body = body[:hdr_len]
    body = bytes([proto, len(body) // 8 - 1]) + body[2:]
    payload = body + upper(proto, sport, dport)
    return struct.pack("!IHBB", 6 << 28, len(payload), 60, 64) + addr(src) + addr(dst) + payload


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", 1795342500, 1000 * i, len(p), len(p)) + p)


def tshark(wrapper, so, cap, keylog, *extra):
    cmd = ["sh", wrapper, so, "-n", "-r", cap] + list(extra)
    if so != "none":
        cmd += ["-o", "pdmv2.keylog_file:" + keylog]
    cmd += ["-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    fields = FIELDS if so != "none" else [f for f in FIELDS if not f.startswith("pdmv2.")]
    for f in fields:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("tshark failed: " + r.stderr[-500:])
    rows = {}
    for line in r.stdout.splitlines():
        row = dict(zip(fields, line.split("\t")))
        rows[int(row["frame.number"])] = row
    return rows, r.stdout


def summary(wrapper, so, cap, keylog):
    """tshark's one-line summaries (the Info column last), by frame; the
    column's field name differs between versions (_ws.col.Info in 4.0)."""
    r = subprocess.run(["sh", wrapper, so, "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + keylog],
                       capture_output=True, text=True)
    return {i: line for i, line in enumerate(r.stdout.splitlines(), 1)}


def num(v):
    return None if v == "" else int(v, 0)


def keylog_line(v):
    return "PDMV2_SECRET %s %s %s %s %s\n" % (v["saddr"], v["daddr"], v["aead"],
                                             v["shared_secret"], v["salt"] or "-")


def check_vectors(wrapper, so, vec, tmp):
    suites = []
    for v in vec["protected_options"]:
        if v["aead"] not in suites:
            suites.append(v["aead"])
    for suite in suites:
        vs = [v for v in vec["protected_options"] if v["aead"] == suite]
        # each direction's options in Epoch order: 0, 1, 7, 4095
        vs.sort(key=lambda v: (v["five_tuple"], v["epoch"]))
        pkts = [packet(v["saddr"], v["daddr"], v["proto"], v["sport"], v["dport"],
                       bytes.fromhex(v["option"])) for v in vs]
        cap = os.path.join(tmp, "vectors-%s.pcap" % suite)
        kl = os.path.join(tmp, "vectors-%s.keylog" % suite)
        write_pcap(cap, pkts)
        with open(kl, "w") as f:
            f.writelines(sorted(set(keylog_line(v) for v in vs)))
        rows, _ = tshark(wrapper, so, cap, kl)
        rows2, _ = tshark(wrapper, so, cap, kl, "-2")
        lines = summary(wrapper, so, cap, kl)
        ours = [[v for k, v in sorted(r.items()) if k.startswith("pdmv2.")]
                for _, r in sorted(rows.items())]
        if ours != [[v for k, v in sorted(r.items()) if k.startswith("pdmv2.")]
                    for _, r in sorted(rows2.items())]:
            problems.append("%s: a second pass (-2) shows other pdmv2 fields" % suite)
        else:
            print("%s: a second pass (-2) shows the same pdmv2 fields" % suite)
        prev = {}
        for i, v in enumerate(vs, 1):
            row, where = rows.get(i), "%s frame %d" % (suite, i)
            if row is None:
                problems.append(where + ": not shown")
                continue
            want = {"variant": 3, "layout": 2, "decrypted": 1, "version": 2,
                    "epoch": v["epoch"], "psntp": v["psntp"]}
            want.update(v["metrics"])
            for k, w in want.items():
                g = row["pdmv2." + k]
                g = 1 if g == "True" else 0 if g == "False" else num(g)
                if g != w:
                    problems.append("%s: pdmv2.%s %r, vector %r" % (where, k, g, w))
            if row["pdmv2.kri"]:
                problems.append(where + ": pdmv2.kri shown on an Epoch-layout option")
            msg, e = row["_ws.expert.message"], v["epoch"]
            d = v["five_tuple"]
            exp = None if d not in prev else \
                "moved on from %d to %d" % (prev[d], e) if (e - prev[d]) % 4096 == 1 else \
                "jumped from %d to %d" % (prev[d], e)
            prev[d] = e
            for s in ("moved on from", "jumped from"):
                if s in msg and (exp is None or s not in exp):
                    problems.append("%s: unexpected %r in %r" % (where, s, msg))
            if exp and exp not in msg:
                problems.append("%s: no %r info: %r" % (where, exp, msg))
            for s in ("authentication failed", "nonce reuse", "No key"):
                if s in msg:
                    problems.append("%s: %r" % (where, msg))
            info = lines.get(i, "")
            if "PDMv2 Epoch enc E=%d PSN=%d" % (e, v["psntp"]) not in info:
                problems.append("%s: Info %r does not name the layout, Epoch and PSN" % (where, info))
        print("%s: %d vector options checked" % (suite, len(vs)))
        invisible(wrapper, so, cap, kl)


def check_bad(wrapper, so, vec, tmp):
    v0 = next(v for v in vec["protected_options"]
              if v["aead"] == "aes128gcm" and v["epoch"] == 0 and v["proto"] == 17)
    v7 = next(v for v in vec["protected_options"]
              if v["aead"] == "aes128gcm" and v["epoch"] == 7 and v["five_tuple"] == v0["five_tuple"])
    opt0 = bytes.fromhex(v0["option"])
    tag_flip = bytearray(opt0)
    tag_flip[-1] ^= 0x01
    plain = bytes.fromhex(vec["plain_option"]["option"])
    v3 = bytearray(plain)
    v3[2] = (v3[2] & 0x0F) | 0x30
    a, b = (v0["saddr"], v0["daddr"])
    u = (17, v0["sport"], v0["dport"])

    def p(src, dst, opt, hdr_len=None):
        return packet(src, dst, u[0], u[1], u[2], opt, hdr_len)

    cases = [  # (packet, expected substrings of the expert infos, fields)
        (p(a, b, opt0), [], {"epoch": 0, "psntp": 0, "decrypted": 1, "global_pointer": 1000}),
        (p(a, b, bytes.fromhex(vec["tamper"]["option"])), ["authentication failed"],
         {"epoch": 0, "psntp": 1, "decrypted": 0, "global_pointer": None, "psnlr": None}),
        (p(a, b, opt0), ["repeated observation", "Duplicate PSN 0"],
         {"epoch": 0, "psntp": 0, "decrypted": 1}),
        (p(a, b, bytes(tag_flip)), ["authentication failed"],
         {"epoch": 0, "psntp": 0, "decrypted": 0, "global_pointer": None}),
        (p("2001:db8::5", "2001:db8::6", plain), [],
         dict((k, vec["plain_option"][k]) for k in ["epoch", "psntp"] + METRICS)),
        (p("2001:db8::5", "2001:db8::6", bytes(v3)), ["version 3, expected 2: nothing after the Epoch"],
         {"epoch": 291, "version": 3, "psntp": None, "psnlr": None}),
        (p("2001:db8::5", "2001:db8::6", opt0, hdr_len=16), ["length 38 cut short"],
         {"variant": None, "epoch": None}),
        (p("2001:db8::5", "2001:db8::6", plain, hdr_len=16), ["length 22 cut short"],
         {"variant": None, "epoch": None}),
        (p("2001:db8::7", "2001:db8::8", opt0), ["No key for this flow"],
         {"epoch": 0, "psntp": 0, "decrypted": 0, "psnlr": None}),
        (p(a, b, bytes.fromhex(v7["option"])), ["Epoch jumped from 0 to 7"],
         {"epoch": 7, "psntp": v7["psntp"], "decrypted": 1, "global_pointer": 1007}),
    ]
    cap = os.path.join(tmp, "epoch-bad.pcap")
    kl = os.path.join(tmp, "epoch-bad.keylog")
    write_pcap(cap, [c[0] for c in cases])
    with open(kl, "w") as f:
        f.write(keylog_line(v0))
    rows, _ = tshark(wrapper, so, cap, kl)
    bare, _ = tshark(wrapper, "none", cap, kl)
    for i, (_, infos, fields) in enumerate(cases, 1):
        row, where = rows.get(i), "bad input frame %d" % i
        if row is None:
            problems.append(where + ": not shown")
            continue
        msg = row["_ws.expert.message"]
        for s in infos:
            if s not in msg:
                problems.append("%s: no %r info in %r" % (where, s, msg))
        for s in ("authentication failed", "No key", "nonce reuse", "jumped", "cut short",
                  "repeated observation", "Duplicate PSN", "expected 2"):
            if s in msg and not any(s in x for x in infos):
                problems.append("%s: unexpected %r in %r" % (where, s, msg))
        for k, w in fields.items():
            g = row["pdmv2." + k]
            g = 1 if g == "True" else 0 if g == "False" else num(g)
            if g != w:
                problems.append("%s: pdmv2.%s %r, want %r" % (where, k, g, w))
        # an exception in the plugin would add "[Malformed Packet: PDMv2]"
        if row["_ws.malformed"].count("Malformed Packet") != \
                bare[i]["_ws.malformed"].count("Malformed Packet"):
            problems.append(where + ": marked malformed by the plugin: " + row["_ws.malformed"])
    print("bad input: %d frames checked" % len(cases))
    invisible(wrapper, so, cap, kl)


def invisible(wrapper, so, cap, kl):
    r = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "dissector_invisible.py"),
                        wrapper, so, cap, kl], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("%s: not invisible: %s" % (os.path.basename(cap), r.stdout.strip()))


def main():
    wrapper, so, vectors = sys.argv[1:4]
    vec = json.load(open(vectors))
    with tempfile.TemporaryDirectory() as tmp:
        check_vectors(wrapper, so, vec, tmp)
        check_bad(wrapper, so, vec, tmp)
    for p in problems[:40]:
        print(p)
    print("%s: %d problems" % ("FAIL" if problems else "ok", len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
