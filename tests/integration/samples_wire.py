#!/usr/bin/env python3
"""The sample writer's capture says what its truth says, read from the
wire bytes without lib/: every PDM option has the Option Length of its
layout and variant (PROFILE.md 0: 10, 18/34, 22/38); an Epoch-layout
option's clear Version, Epoch and PSNTP (2.5) equal the truth's frame;
and each direction's Epoch list and PSN counts, recomputed here from the
clear fields of the frames the truth counts (5.5: all but those that
failed authentication), equal the truth's.

usage: samples_wire.py CAPTURE TRUTH    (pcap or pcap-ns, any link type
the writer makes: Ethernet, 802.1Q, raw IPv6, Linux cooked)
"""
import json
import struct
import sys

LINK_OFFSET = {1: 14, 101: 0, 113: 16, 228: 0}
LENGTHS = {(1, None): 10, (2, "kri"): 18, (3, "kri"): 34,
           (2, "epoch"): 22, (3, "epoch"): 38}

problems = []


def bad(msg):
    problems.append(msg)


def read_pcap(path):
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0xA1B2C3D4, 0xA1B23C4D):
        sys.exit("%s: not a little-endian pcap file" % path)
    link = struct.unpack("<I", data[20:24])[0]
    off, frames = 24, []
    while off + 16 <= len(data):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return link, frames


def pdm_option(pkt, link):
    """The PDM option (type 0x0F) of a Destination Options header."""
    off = LINK_OFFSET[link]
    if link == 1 and pkt[12:14] == b"\x81\x00":
        off = 18
    ip = pkt[off:]
    nh, pos = ip[6], 40
    while nh in (0, 60):
        hlen = (ip[pos + 1] + 1) * 8
        if nh == 60:
            i = pos + 2
            while i < pos + hlen:
                t = ip[i]
                if t == 0:
                    i += 1
                    continue
                n = ip[i + 1]
                if t == 0x0F:
                    return ip[i:i + 2 + n]
                i += 2 + n
        nh, pos = ip[pos], pos + hlen
    return None


def unwrap(high, v, mod):
    base = high - high % mod
    best = base + v
    for c in (base - mod + v, base + v, base + mod + v):
        if abs(c - high) < abs(best - high) or (abs(c - high) == abs(best - high) and c > best):
            best = c
    return best


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    link, pkts = read_pcap(sys.argv[1])
    truth = json.load(open(sys.argv[2]))
    frames = {f["frame"]: f for f in truth["frames"]}
    if len(pkts) != truth["capture"]["packets"]:
        bad("capture holds %d frames, truth %d" % (len(pkts), truth["capture"]["packets"]))
    dirs = {}
    nepoch = 0
    for n, pkt in enumerate(pkts, 1):
        opt = pdm_option(pkt, link)
        f = frames.get(n)
        if (opt is None) != (f is None):
            bad("frame %d: option %s, truth frame %s" % (n, opt is not None, f is not None))
            continue
        if opt is None:
            continue
        layout = f.get("layout")
        if layout is None and f["variant"] != 1:
            layout = "kri"
        want = LENGTHS[(f["variant"], None if f["variant"] == 1 else layout)]
        if opt[1] != want:
            bad("frame %d: Option Length %d, truth says %d" % (n, opt[1], want))
            continue
        if layout != "epoch":
            continue
        nepoch += 1
        word, psntp = struct.unpack(">HI", opt[2:8])
        for k, v in (("version", word >> 12), ("epoch", word & 0xFFF), ("psntp", psntp)):
            if f.get(k) != v:
                bad("frame %d: wire %s %d, truth %r" % (n, k, v, f.get(k)))
        if f["status"] == "auth_failed":
            continue
        d = dirs.setdefault((f["flow"], f["dir"]), {"eps": [], "seen": set(), "dups": 0,
                                                    "reord": 0, "high": None, "low": None})
        # 5.5: the last two entries, or a new one
        e = next((x for x in d["eps"][-2:] if x["epoch"] == word & 0xFFF), None)
        if e is None:
            e = {"epoch": word & 0xFFF, "first_frame": n, "packets": 0}
            d["eps"].append(e)
        e["packets"] += 1
        e["last_frame"] = n
        if d["high"] is None:
            ext = 16 * 2**32 + psntp
            d["high"] = d["low"] = ext
            d["first"] = psntp
        else:
            ext = unwrap(d["high"], psntp, 2**32)
        d["last"] = psntp
        if ext in d["seen"]:
            d["dups"] += 1
            continue
        if ext < d["high"]:
            d["reord"] += 1
        d["high"], d["low"] = max(d["high"], ext), min(d["low"], ext)
        d["seen"].add(ext)
    if truth["pdm"].get("epoch_layout", 0) != nepoch:
        bad("pdm.epoch_layout %r, wire %d" % (truth["pdm"].get("epoch_layout"), nepoch))
    for (flow, dn), d in sorted(dirs.items()):
        td = truth["flows"][flow]["directions"][dn]
        where = "flow %d %s" % (flow + 1, dn)
        if td.get("layout") != "epoch":
            bad("%s: layout %r" % (where, td.get("layout")))
        got = [{k: e[k] for k in ("epoch", "first_frame", "last_frame", "packets")}
               for e in td["epochs"]]
        if got != d["eps"]:
            bad("%s: epochs %r, wire %r" % (where, got, d["eps"]))
        want = {"first": d["first"], "last": d["last"], "duplicates": d["dups"],
                "reordered": d["reord"],
                "lost": d["high"] - d["low"] + 1 - len(d["seen"])}
        if td["psn"] != want:
            bad("%s: psn %r, wire %r" % (where, td["psn"], want))
    for p in problems[:40]:
        print(p)
    print("%s: %d frames, %d Epoch-layout options, %d directions, %d differences" % (
        "FAIL" if problems else "ok", len(pkts), nepoch, len(dirs), len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
