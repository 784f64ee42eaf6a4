#!/usr/bin/env python3
"""Write the small seed corpora for the fuzz harnesses from the spec
vectors (doc/spec/vectors) and the bundled sample key logs.

Run from anywhere; rewrites tests/fuzz/corpus/{walk,keylog,open,
analyzer,capture}/seed-*.
Seeds are inputs, not expectations: the harnesses assert only that
nothing crashes, hangs or leaks.
"""
import glob
import ipaddress
import json
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
VEC = os.path.join(TOP, "doc", "spec", "vectors", "pdmv2-profile.json")
EVEC = os.path.join(TOP, "doc", "spec", "vectors", "pdmv2-epoch.json")


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
    epoch_seeds()

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
    capture_seeds()


def epoch_seeds():
    """The Epoch layout (PROFILE.md 2.5): Option Lengths 22 and 38 as the
    vectors give them, cut short, with a Version other than 2, with the
    lengths swapped, and the walk with a header that ends inside one."""
    e = json.load(open(EVEC))
    plain = bytes.fromhex(e["plain_option"]["option"])
    prot = [bytes.fromhex(c["option"]) for c in e["protected_options"]]
    tamper = bytes.fromhex(e["tamper"]["option"])

    def version(o, ver):
        return o[:2] + bytes([(ver << 4) | (o[2] & 0x0F)]) + o[3:]

    opts = [("epoch-plain", plain), ("epoch-prot0", prot[0]),
            ("epoch-prot-last", prot[-1]), ("epoch-tamper", tamper),
            ("epoch-plain-v1", version(plain, 1)),
            ("epoch-prot-v3", version(prot[0], 3)),
            ("epoch-plain-v0", version(plain, 0)),
            # a 22-byte body labelled 38 and a 38-byte body labelled 22
            ("epoch-len38-short", bytes([0x0F, 38]) + plain[2:]),
            ("epoch-len22-long", bytes([0x0F, 22]) + prot[0][2:])]
    for name, o in opts:
        write("walk", name, b"\x01" + ipv6(
            "2001:db8::1", "2001:db8::2", 60, dstopts(17, o) + udp(40000, 443)))
    # cut short: the option runs past the header, the header past the
    # packet, the packet ends inside the clear Epoch / PSNTP
    for cut in (3, 8, 23, 39):
        o = prot[0][:cut]
        body = bytes([17, 0]) + o
        body += bytes((-len(body)) % 8)
        hdr = bytes([17, len(body) // 8 - 1]) + body[2:]
        write("walk", "epoch-prot-cut%d" % cut, b"\x01" + ipv6(
            "2001:db8::1", "2001:db8::2", 60, hdr))
        full = ipv6("2001:db8::1", "2001:db8::2", 60,
                    dstopts(17, prot[0]) + udp(40000, 443))
        write("walk", "epoch-pkt-cut%d" % cut, b"\x01" + full[:40 + 2 + cut])
    # the open harness: window byte, then 40-byte options; the vectors of
    # the harness's 5-tuple (and any other, which fail), a duplicate, a
    # nonce reuse (same Epoch and PSNTP, other bytes), a wrong Version,
    # and a run of Epochs that jumps
    same = [o for c, o in zip(e["protected_options"], prot)
            if c["saddr"] == "2001:db8::1" and c["daddr"] == "2001:db8::2"
            and c["sport"] == 40000 and c["dport"] == 443 and c["proto"] == 17]
    write("open", "epoch-vec", bytes([16]) + b"".join(same[:6]) + same[0])
    write("open", "epoch-reuse", bytes([16]) + prot[0] + tamper + prot[0])
    write("open", "epoch-version", bytes([16]) + version(prot[0], 1) + prot[0])
    c = e["protected_options"][0]
    line = "PDMV2_EPOCH_KEY %s %d %s %d %d %%s %s %s %s" % (
        c["saddr"], c["sport"], c["daddr"], c["dport"], c["proto"], c["aead"],
        c["key"], c["base_nonce"])
    write("keylog", "epoch", ("\n".join([
        line % c["epoch"], line % 4095, line % 4096, line % "-1",
        line.replace(c["key"], c["key"][:-2]) % 0,
        "PDMV2_EPOCH_KEY %s 40000" % c["saddr"]]) + "\n").encode())
    write("open", "epoch-mixed", bytes([16]) + prot[0] +
          bytes.fromhex(json.load(open(VEC))["session_keys_and_options"][0]["option"])
          + bytes(4) + plain + bytes(16) + prot[-1][:30])


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


def capture_seeds():
    """Whole capture files: the hostile captures of the analyzer's tests,
    the bundled samples cut after a few records (pcap and pcapng), and
    pcapng sections with the blocks and options libpcap interprets or
    skips: if_tsresol and if_tsoffset, interfaces of different
    resolutions, Simple Packet, Name Resolution, Interface Statistics,
    Decryption Secrets and custom blocks, options on every block, a
    big-endian section and a second section."""
    sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
    import hostile_captures as hc
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as d:
        os.chdir(d)
        try:
            hc.main()
        finally:
            os.chdir(cwd)
        for name in sorted(os.listdir(d)):
            write("capture", name, open(os.path.join(d, name), "rb").read())
    for path in sorted(glob.glob(os.path.join(TOP, "samples", "data", "*.pcap*"))):
        data = open(path, "rb").read()
        lt, frames = pcap_frames(path)
        if frames:
            data = hc.pcap([(1_700_000_000 + i, i, f) for i, f in enumerate(frames[:12])],
                           lt, nano=False)
        else:
            data = data[:6000]    # pcapng: cut inside a block, as a crash would
        write("capture", os.path.basename(path), data)

    pkt = hc.ipv6_pdm(1, 5000, 6000)
    opt, block, idb, epb = hc.opt, hc.block, hc.idb, hc.epb
    comment = opt(1, b"a comment")
    shb_opts = hc.block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
                        opt(2, b"hardware") + opt(3, b"os") + opt(4, b"app") +
                        comment + opt(0, b""))
    spb = block(3, struct.pack("<I", len(pkt)) + pkt)
    nrb = block(4, struct.pack("<HH", 2, 20) + bytes(16) + b"host\0" + struct.pack("<HH", 0, 0))
    isb = block(5, struct.pack("<III", 0, 1, 2) + opt(4, struct.pack("<Q", 3)) + opt(0, b""))
    dsb = block(10, struct.pack("<II", 0x544c534b, 4) + b"KEYS")
    custom = block(0xBAD, struct.pack("<I", 32473) + b"vendor data")
    epb_opts = block(6, struct.pack("<IIIII", 0, 0, 10**6, len(pkt), len(pkt)) + pkt +
                     opt(2, struct.pack("<I", 1)) + comment + opt(0, b""))
    seeds = {
        "tsresol-binary": shb_opts + idb(101, opt(9, b"\x86")) + epb(1 << 40, pkt),
        "tsresol-3": shb_opts + idb(101, opt(9, b"\x03") + opt(2, b"eth0")) + epb(10**12, pkt),
        "tsresol-huge": shb_opts + idb(101, opt(9, b"\x7f")) + epb(5, pkt),
        "tsoffset-plus": shb_opts + idb(101, opt(14, struct.pack("<q", 1 << 40))) + epb(7, pkt),
        "two-resolutions": shb_opts + idb(101, opt(9, b"\x09")) + idb(101) +
                           epb(10**18, pkt, 0) + epb(10**15, pkt, 1),
        "every-block": shb_opts + idb(101, comment) + spb + nrb + isb + dsb + custom +
                       epb_opts + epb(10**15, pkt),
        "second-section": shb_opts + idb(101) + epb(10**15, pkt) +
                          shb_opts + idb(1) + epb(10**15, bytes(14) + pkt),
        "option-overrun": shb_opts + block(1, struct.pack("<HHI", 101, 0, 0) +
                                           struct.pack("<HH", 9, 200) + b"\x09") + epb(1, pkt),
        "caplen-past-block": shb_opts + idb(101) +
                             block(6, struct.pack("<IIIII", 0, 0, 1, 4000, 4000) + pkt),
    }
    def be_block(btype, body):    # a section written big-endian
        body += bytes(-len(body) % 4)
        return struct.pack(">II", btype, 12 + len(body)) + body + struct.pack(">I", 12 + len(body))
    seeds["big-endian"] = (be_block(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, -1)) +
                           be_block(1, struct.pack(">HHI", 101, 0, 0) +
                                    struct.pack(">HH", 9, 1) + b"\x06\0\0\0" + bytes(4)) +
                           be_block(6, struct.pack(">IIIII", 0, 0, 10**6, len(pkt), len(pkt)) + pkt))
    for name, data in seeds.items():
        write("capture", name + ".pcapng", data)


if __name__ == "__main__":
    main()
