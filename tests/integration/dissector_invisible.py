#!/usr/bin/env python3
"""The plugin is invisible except where it adds: real tshark on a
capture with the plugin loaded (and the capture's key log) and without
it (an empty plugin folder) must print the same

- `-q -z conv,ipv6` and `-q -z endpoints,ipv6` tables, byte for byte;
- `-q -z io,phs`, once the plugin's own "pdmv2" rows are dropped (it
  adds them as children; every count of Wireshark's rows must stay);
- `-T pdml`, once the plugin's `<proto name="pdmv2" ...>` elements are
  dropped, and the header line that names the time and temporary file:
  every Wireshark tree, field, expert info, nesting and reassembly the
  same byte for byte.

Also checks the plugin did add something: at least one pdmv2 element
in the PDML and one pdmv2 row in the hierarchy when the capture has
PDM options (Wireshark shows an option of type 0x0f).

usage: dissector_invisible.py TSHARK_WRAPPER PLUGIN_SO CAPTURE KEYLOG
"""
import re
import subprocess
import sys

problems = []


def tshark(wrapper, so, *args):
    r = subprocess.run(["sh", wrapper, so, "-n"] + list(args), capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("tshark (%s) failed: %s" % (so, r.stderr[-500:]))
    return r.stdout


def strip_pdml(text):
    """Drops the plugin's proto elements and the run-specific header."""
    out, skip = [], False
    for line in text.splitlines():
        if skip:
            if line.startswith("  </proto>"):
                skip = False
            continue
        if line.startswith('  <proto name="pdmv2"'):
            skip = not line.rstrip().endswith("/>")
            continue
        if line.startswith("<pdml "):
            line = re.sub(r' time="[^"]*" capture_file="[^"]*"', "", line)
        out.append(line)
    return out, text.count('<proto name="pdmv2"')


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "line %d: without %r, with %r" % (i + 1, x, y)
    return "lengths %d and %d" % (len(a), len(b))


def main():
    wrapper, so, cap, keylog = sys.argv[1:5]
    kl = ["-o", "pdmv2.keylog_file:" + keylog]
    stats = ["-q", "-z", "conv,ipv6", "-z", "endpoints,ipv6", "-z", "io,phs"]
    without = tshark(wrapper, "none", "-r", cap, *stats).splitlines()
    with_ = tshark(wrapper, so, "-r", cap, *stats, *kl).splitlines()
    ours = [l for l in with_ if l.strip().startswith("pdmv2 ")]
    kept = [l for l in with_ if not l.strip().startswith("pdmv2 ")]
    tables = sum(1 for l in without if l.startswith("IPv6 ") or l.startswith("Protocol Hierarchy"))
    if kept != without:
        problems.append("-z conv,ipv6 / endpoints,ipv6 / io,phs differ beyond pdmv2 rows: "
                        + first_diff(without, kept))
    elif tables != 3 or len(without) < 20:
        problems.append("-z tables without the plugin look empty: %r" % without[:12])
    else:
        print("-z conv,ipv6, endpoints,ipv6, io,phs: %d lines identical, %d pdmv2 phs rows added"
              % (len(without), len(ours)))

    raw = tshark(wrapper, "none", "-r", cap, "-T", "pdml")
    pdm = re.search(r'name="ipv6\.opt\.type" [^>]*show="0x0f"', raw)
    without, _ = strip_pdml(raw)
    with_, added = strip_pdml(tshark(wrapper, so, "-r", cap, "-T", "pdml", *kl))
    if without != with_:
        problems.append("PDML differs beyond the pdmv2 elements: " + first_diff(without, with_))
    else:
        print("PDML: %d lines identical, %d pdmv2 elements added" % (len(without), added))
    if pdm and (added == 0 or not ours):
        problems.append("the capture has PDM options but the plugin added %d PDML elements, %d phs rows"
                        % (added, len(ours)))

    for p in problems:
        print(p)
    print("%s: %d problems" % ("FAIL" if problems else "ok", len(problems)))
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
