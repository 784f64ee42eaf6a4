#!/usr/bin/env python3
"""Write the small seed corpora for the fuzz harnesses from the spec
vectors (doc/spec/vectors) and the bundled sample key logs.

Run from anywhere; rewrites tests/fuzz/corpus/{walk,keylog,open,
analyzer}/seed-*.
Seeds are inputs, not expectations: the harnesses assert only that
nothing crashes, hangs or leaks.
"""
import glob
import ipaddress
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VEC = os.path.join(TOP, "doc", "spec", "vectors", "pdmv2-profile.json")


def ipv6(src, dst, nh, payload):
    return (struct.pack("!IHBB", 6 << 28, len(payload), nh, 64)
            + ipaddress.IPv6Address(src).packed
            + ipaddress.IPv6Address(dst).packed + payload)


def dstopts(nh, options):
    body = bytes([nh, 0]) + options
    pad = (-len(body)) % 8
    if pad == 1:
        body += b"\x00"
    elif pad:
        body += bytes([1, pad - 2]) + bytes(pad - 2)
    return bytes([body[0], len(body) // 8 - 1]) + body[2:]


def udp(sport, dport, data=b"ping"):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def write(kind, name, data):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def main():
    v = json.load(open(VEC))
    opts = [("pdm", bytes.fromhex(v["pdm_v1_option"]["option"])),
            ("plain", bytes.fromhex(v["plain_option"]["option"])),
            ("tamper", bytes.fromhex(v["tamper"]["option"]))]
    for i, c in enumerate(v["session_keys_and_options"][:16]):
        opts.append(("enc%d" % i, bytes.fromhex(c["option"])))

    for name, o in opts:
        pkt = ipv6("2001:db8::1", "2001:db8::2", 60,
                   dstopts(17, o) + udp(40000, 443))
        write("walk", name, b"\x01" + pkt)
    # Hop-by-Hop, PadN before the option, Routing then a second header.
    o = opts[3][1]
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
    write("walk", "hbh-padn", b"\x01" + ipv6(
        "2001:db8::1", "2001:db8::2", 0,
        hbh + dstopts(17, bytes([1, 2, 0, 0]) + o) + udp(1, 2)))
    rh = bytes([60, 2, 0, 1, 0, 0, 0, 0]) + bytes(16)
    write("walk", "routing", b"\x01" + ipv6(
        "2001:db8::1", "2001:db8::2", 60,
        dstopts(43, o)[:] + rh + dstopts(6, opts[1][1]) +
        struct.pack("!HHIIBBHHH", 1, 2, 0, 0, 0x50, 2, 0, 0, 0)))
    frag = bytes([60, 0, 0, 1, 0, 0, 0, 1])
    write("walk", "fragment", b"\x01" + ipv6(
        "fe80::1", "fe80::2", 44, frag + dstopts(58, o) + bytes(8)))

    for i, c in enumerate(v["session_keys_and_options"][:4]):
        # window byte, then the option twice (the second is a duplicate)
        o = bytes.fromhex(c["option"])
        write("open", "vec%d" % i, bytes([16]) + o + o)
    write("open", "tamper", bytes([16]) + bytes.fromhex(v["tamper"]["option"]))

    c = v["session_keys_and_options"]
    lines = [
        "# comment", "",
        "PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm %s -" % c[0]["shared_secret"],
        "PDMV2_SECRET 2001:db8::/32 * aes256gcm %s a0a1a2a3" % c[0]["shared_secret"],
        "PDMV2_PRIMARY_SECRET 2001:db8::/64 2001:db8:0:1::/64 chacha20poly1305 %s -"
        % v["secondary_secrets"][0]["pms"],
        "PDMV2_SESSION_KEY 2001:db8::1 40000 2001:db8::2 443 17 0 aes128gcm %s %s"
        % (c[0]["key"], c[0]["base_nonce"]),
        "UNKNOWN_LABEL a b c",
        "PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm 00zz -",
    ]
    write("keylog", "spec", ("\n".join(lines) + "\n").encode())
    write("keylog", "crlf", ("\r\n".join(lines) + "\r\n").encode())
    # a UTF-8 byte order mark first (issue 24), alone, twice, with CRLF
    bom = b"\xef\xbb\xbf"
    write("keylog", "bom", bom + ("\n".join(lines) + "\n").encode())
    write("keylog", "bom-crlf", bom + ("\r\n".join(lines) + "\r\n").encode())
    write("keylog", "bom-only", bom)
    write("keylog", "bom-twice", bom + bom + (lines[0] + "\n").encode())
    # more fields than any label has; seventeen entries for one pair
    write("keylog", "many-fields", (lines[0] + " x" * 20 + "\n").encode())
    write("keylog", "stale-17", "".join(
        "PDMV2_SECRET 2001:db8::1 2001:db8::2 aes128gcm %064x -\n" % i
        for i in range(17)).encode())
    for path in sorted(glob.glob(os.path.join(TOP, "samples", "data", "*.keylog")))[:3]:
        write("keylog", os.path.basename(path), open(path, "rb").read())
    analyzer_seeds()


def pcap_frames(path):
    d = open(path, "rb").read()
    if struct.unpack("<I", d[:4])[0] not in (0xA1B2C3D4, 0xA1B23C4D):
        return None, []
    lt, off, out = struct.unpack("<I", d[20:24])[0], 24, []
    while off + 16 <= len(d):
        caplen = struct.unpack("<IIII", d[off:off + 16])[2]
        out.append(d[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return lt, out


def analyzer_seeds():
    """Length-prefixed frames of the bundled samples; the first byte
    selects the harness's link type (0 Ethernet, 1 raw, 2 SLL)."""
    select = {1: 0, 101: 1, 113: 2}
    for path in sorted(glob.glob(os.path.join(TOP, "samples", "data", "*.pcap"))):
        lt, frames = pcap_frames(path)
        if lt in select:
            blob = bytes([select[lt]]) + b"".join(
                struct.pack("!H", len(f)) + f for f in frames[:24])
            write("analyzer", os.path.basename(path), blob)


if __name__ == "__main__":
    main()
