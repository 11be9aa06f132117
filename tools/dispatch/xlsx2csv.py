#!/usr/bin/env python3
"""Turn the first sheet of an .xlsx file into a label,text CSV for `zhizhi dispatch`.

Usage: xlsx2csv.py BOOK.xlsx LABEL_COLUMN TEXT_COLUMN[+TEXT_COLUMN...] > out.csv
Columns are named by their header text (e.g. 一级标签 留言主题+留言详情). Only the Python
standard library is used (an .xlsx is a zip of XML); nothing is fetched from the network.
Used at evaluation time only: zhizhi itself runs no Python.
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def rows(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for row in sheet.find("m:sheetData", NS).findall("m:row", NS):
        out = {}
        for c in row.findall("m:c", NS):
            v = c.find("m:v", NS)
            if c.get("t") == "s" and v is not None:
                val = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                val = "".join(t.text or "" for t in c.iter("{%s}t" % NS["m"]))
            else:
                val = v.text if v is not None else ""
            out[col_index(c.get("r"))] = val
        if out:
            yield [out.get(i, "") for i in range(max(out) + 1)]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    it = rows(sys.argv[1])
    header = [h.strip() for h in next(it)]
    label = header.index(sys.argv[2])
    texts = [header.index(t) for t in sys.argv[3].split("+")]
    w = csv.writer(sys.stdout, lineterminator="\r\n")
    w.writerow(["label", "text"])
    for r in it:
        r += [""] * (len(header) - len(r))
        lab = r[label].strip()
        if lab:
            w.writerow([lab, "\n".join(r[i].strip() for i in texts)])


if __name__ == "__main__":
    main()
