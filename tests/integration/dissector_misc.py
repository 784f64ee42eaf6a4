#!/usr/bin/env python3
"""Plugin behaviours beyond field values, with real tshark:

- a UDP datagram fragmented with the Destination Options header (holding
  a PDMv2 option) after, and before, the Fragment header still
  reassembles: one UDP datagram of the full length, good checksum, the
  PDMv2 option decoded, and everything else exactly as tshark shows it
  without the plugin (dissector_invisible.py on these captures);
- a second pass (tshark -2) shows the same kri for every frame as the
  first (state stored per frame, not recomputed);
- a missing key log gives a clear message naming the file, no crash;
- 600 extension headers before a PDM option: Wireshark's own tree-depth
  "Dissector bug" names Wireshark's dissector, never PDMv2, and the rest
  is as without the plugin (issue 24).

usage: dissector_misc.py TSHARK_WRAPPER PLUGIN_SO SAMPLE_CAPTURE SAMPLE_KEYLOG
"""
import ipaddress
import os
import struct
import subprocess
import sys
import tempfile

problems = []
SRC = ipaddress.IPv6Address("2001:db8::1").packed
DST = ipaddress.IPv6Address("2001:db8::2").packed


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def udp(payload):
    hdr = struct.pack("!HHHH", 40000, 5001, 8 + len(payload), 0)
    pseudo = SRC + DST + struct.pack("!IxxxB", 8 + len(payload), 17)
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", 40000, 5001, 8 + len(payload), c) + payload


def dstopts(nh):
    # PDMv2 unencrypted option (length 18) + PadN to a multiple of 8
    opt = bytes([0x0F, 18]) + struct.pack("!HHBBIHHHH", 0x2000, 0x1234, 1, 2, 77, 100, 99, 5, 6)
    body = bytes([nh, 0]) + opt
    pad = (-len(body)) % 8
    body += bytes([1, pad - 2]) + bytes(pad - 2)
    return bytes([nh, len(body) // 8 - 1]) + body[2:]


def ipv6(nh, payload):
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) + SRC + DST + payload


def fragments(before):
    data = udp(bytes(range(256)) * 12)          # 3080-byte datagram
    opts = dstopts(44 if before else 17)
    frag_part = data if before else opts + data
    pkts, off, ident, size = [], 0, 0x1234, 1232
    while off < len(frag_part):
        chunk = frag_part[off:off + size]
        more = 1 if off + size < len(frag_part) else 0
        fh = struct.pack("!BBHI", 17 if before else 60, 0, off | more, ident)
        pkts.append(ipv6(60, opts + fh + chunk) if before else ipv6(44, fh + chunk))
        off += size
    return pkts, len(data)


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for i, p in enumerate(pkts):
            f.write(struct.pack("<IIII", 1795342500 + i, 0, len(p), len(p)) + p)


def tshark(wrapper, so, *args):
    return subprocess.run(["sh", wrapper, so] + list(args), capture_output=True, text=True)


def main():
    wrapper, so, cap, keylog = sys.argv[1:5]
    tmp = tempfile.mkdtemp()
    for before in (False, True):
        name = "dstopts-%s-fragment" % ("before" if before else "after")
        pkts, dlen = fragments(before)
        path = os.path.join(tmp, name + ".pcap")
        write_pcap(path, pkts)
        r = tshark(wrapper, so, "-n", "-r", path, "-o", "udp.check_checksum:TRUE",
                   "-Y", "udp", "-T", "fields", "-e", "udp.length",
                   "-e", "udp.checksum.status", "-e", "pdmv2.variant",
                   "-e", "_ws.expert.message")
        lines = [l for l in r.stdout.splitlines() if l.strip()]
        if len(lines) != 1:
            problems.append("%s: %d UDP datagrams, want 1 (%s)" % (name, len(lines), r.stdout.strip()))
            continue
        length, status, variant, expert = (lines[0].split("\t") + [""] * 4)[:4]
        if length != str(dlen) or status != "1" or "2" not in variant.split(","):
            problems.append("%s: udp.length %s (want %d), checksum %s, pdmv2.variant %r, expert %r"
                            % (name, length, dlen, status, variant, expert))
        else:
            print("%s: reassembled %s bytes, checksum good, PDMv2 decoded" % (name, length))
        inv = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__),
                                                           "dissector_invisible.py"),
                              wrapper, so, path, keylog], capture_output=True, text=True)
        if inv.returncode != 0:
            problems.append("%s: not invisible: %s" % (name, inv.stdout.strip()))
        else:
            print("%s: %s" % (name, inv.stdout.strip().replace("\n", "; ")))

    deep = os.path.join(tmp, "deep-headers.pcap")
    chain = b"".join(bytes([60, 0, 1, 4, 0, 0, 0, 0]) for _ in range(600))
    pdm = bytes([17, 1, 0x0F, 10]) + bytes(10) + bytes([1, 0])
    write_pcap(deep, [ipv6(60, chain + pdm + udp(b"x"))])
    r = tshark(wrapper, so, "-n", "-r", deep, "-V")
    bugs = [l for l in (r.stdout + r.stderr).splitlines() if "Dissector bug" in l]
    if not bugs or any("PDM" in l for l in bugs):
        problems.append("deep headers: tree-depth messages %r" % bugs[:2])
    else:
        inv = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__),
                                                           "dissector_invisible.py"),
                              wrapper, so, deep, keylog], capture_output=True, text=True)
        if inv.returncode != 0:
            problems.append("deep headers: not invisible: %s" % inv.stdout.strip())
        else:
            print("deep headers: the tree-depth bug is Wireshark's (%s); %s"
                  % (bugs[0].split("protocol ")[1].split(":")[0],
                     inv.stdout.strip().replace("\n", "; ")))

    one = tshark(wrapper, so, "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + keylog,
                 "-T", "fields", "-e", "frame.number", "-e", "pdmv2.kri", "-e", "pdmv2.rtt_us")
    two = tshark(wrapper, so, "-2", "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + keylog,
                 "-T", "fields", "-e", "frame.number", "-e", "pdmv2.kri", "-e", "pdmv2.rtt_us")
    kris = [l.split("\t")[1] for l in one.stdout.splitlines()]
    if one.stdout != two.stdout or not any(k not in ("", "0") for k in kris):
        problems.append("second pass differs from the first, or no kri > 0 shown")
    else:
        print("two passes: identical kri and RTT on %d frames" % len(kris))

    missing = "/nonexistent/pdmv2.keylog"
    r = tshark(wrapper, so, "-n", "-r", cap, "-o", "pdmv2.keylog_file:" + missing,
               "-T", "fields", "-e", "pdmv2.decrypted")
    if r.returncode != 0 or missing not in r.stderr or "key log" not in r.stderr:
        problems.append("missing key log: rc %d, stderr %r" % (r.returncode, r.stderr[-300:]))
    elif "1" in r.stdout.split():
        problems.append("missing key log: something decrypted anyway")
    else:
        print("missing key log: %s" % [l for l in r.stderr.splitlines() if missing in l][0].strip())

    for p in problems:
        print(p)
    print("%s: %d problems" % ("FAIL" if problems else "ok", len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
