"""The eForms recount in Python with lxml, for bench/eforms.py: the same counts as
`indikator notices FOLDER --kind competition` (distinct notice ids per buyer country and year,
under the four definitions), written as CSV. Usage: eforms_lxml.py [--cite] OUT.csv FOLDER|PACKAGE.tar.gz
(a package is read as a stream with tarfile, as indikator reads it: nothing unpacked to disk).

--cite also does what indikator does for the rows' citation, from the same bytes it parses:
the input's SHA-256 (a package's of its file; a folder's of its files' `sha256sum` lines,
sorted by path), written to OUT.csv.sha256. Without it the script does less work than
indikator.
"""
import csv
import hashlib
import os
import sys
import tarfile
from pathlib import Path

from lxml import etree

# smart_strings=False: text results are plain strings. By default each keeps its whole
# document alive (getparent()), and a set of ids would hold every tree: 2.6 GB for 1 GB.

NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
}
ALPHA3 = {"DEU": "DE", "FRA": "FR", "POL": "PL", "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "ISL": "IS"}
FLAGS = {"mar-nov", "proc-innov", "prod-innov", "rd-act"}
ID = etree.XPath("cbc:ID[@schemeName='notice-id']/text()", namespaces=NS, smart_strings=False)
FORM = etree.XPath("cbc:NoticeTypeCode/@listName", namespaces=NS, smart_strings=False)
DATE = etree.XPath("cbc:IssueDate/text()", namespaces=NS, smart_strings=False)
BUYER = etree.XPath("cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()", namespaces=NS, smart_strings=False)
ORGS = etree.XPath(".//efac:Organizations/efac:Organization/efac:Company", namespaces=NS, smart_strings=False)
ORG_ID = etree.XPath("cac:PartyIdentification/cbc:ID/text()", namespaces=NS, smart_strings=False)
ORG_COUNTRY = etree.XPath("cac:PostalAddress/cac:Country/cbc:IdentificationCode/text()", namespaces=NS, smart_strings=False)
PROCEDURE = etree.XPath("cac:TenderingProcess/cbc:ProcedureCode/text()", namespaces=NS, smart_strings=False)
CPV = etree.XPath("cac:ProcurementProject/cac:MainCommodityClassification/cbc:ItemClassificationCode/text()", namespaces=NS, smart_strings=False)
INNOVATION = etree.XPath(
    "cac:ProcurementProjectLot/cac:ProcurementProject/cac:ProcurementAdditionalType/"
    "cbc:ProcurementTypeCode[@listName='innovative-acquisition']/text()",
    namespaces=NS,
    smart_strings=False,
)


class Hashing:
    """A file read through SHA-256, as indikator reads a package: hashed as it is read."""

    def __init__(self, raw):
        self.raw, self.sha256 = raw, hashlib.sha256()

    def read(self, size=-1):
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def documents(path, cite):
    """Each .xml document of a folder (parsed from its file) or of a .tar.gz package. With
    `cite`, the bytes are hashed as they are read; `cite` gets the input's SHA-256."""
    if path.endswith(".tar.gz"):
        with open(path, "rb") as raw:
            source = Hashing(raw) if cite is not None else raw
            with tarfile.open(fileobj=source, mode="r|gz") as package:
                for member in package:
                    if member.isfile() and member.name.endswith(".xml"):
                        yield etree.fromstring(package.extractfile(member).read())
            if cite is not None:
                while source.read(1 << 20):
                    pass
                cite.append(source.sha256.hexdigest())
        return
    lines = []
    for root, _, files in os.walk(path):
        for name in files:
            if name.endswith(".xml"):
                file = os.path.join(root, name)
                if cite is None:
                    yield etree.parse(file).getroot()
                    continue
                with open(file, "rb") as f:
                    data = f.read()
                lines.append((os.path.relpath(file, path).encode(), hashlib.sha256(data).hexdigest()))
                yield etree.fromstring(data)
    if cite is not None:
        manifest = b"".join(b"%s  %s\n" % (digest.encode(), name) for name, digest in sorted(lines))
        cite.append(hashlib.sha256(manifest).hexdigest())


def main():
    args = sys.argv[1:]
    cite = [] if args[:1] == ["--cite"] else None
    out, path = args[-2], args[-1]
    sets = {}
    for notice in documents(path, cite):
        if FORM(notice) != ["competition"]:
            continue
        buyer = BUYER(notice)[0]
        country = next(ORG_COUNTRY(o)[0] for o in ORGS(notice) if ORG_ID(o) == [buyer])
        key = (ALPHA3.get(country, country), DATE(notice)[0][:4])
        nid = ID(notice)[0]
        procedure = PROCEDURE(notice)
        cpv = CPV(notice)
        meets = [
            True,
            procedure[:1] in (["comp-dial"], ["innovation"]),
            bool(cpv) and cpv[0].startswith("73"),
            bool(FLAGS.intersection(INNOVATION(notice))),
        ]
        entry = sets.setdefault(key, [set(), set(), set(), set()])
        for i, met in enumerate(meets):
            if met:
                entry[i].add(nid)
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["country", "year", "notices", "innovation-procedure", "rd", "innovation-flag"])
        for (country, year), entry in sorted(sets.items()):
            writer.writerow([country, year] + [len(s) for s in entry])
    if cite is not None:
        with open(out + ".sha256", "w") as f:
            f.write(cite[0] + "\n")


if __name__ == "__main__":
    main()
