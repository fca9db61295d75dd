"""The eForms recount in Python with lxml, for bench/eforms.py: the same counts as
`indikator notices FOLDER --kind competition` (distinct notice ids per buyer country and year,
under the four definitions), written as CSV. Usage: eforms_lxml.py OUT.csv FOLDER|PACKAGE.tar.gz
(a package is read as a stream with tarfile, as indikator reads it: nothing unpacked to disk)
"""
import csv
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


def documents(path):
    """Each .xml document of a folder (parsed from its file) or of a .tar.gz package."""
    if path.endswith(".tar.gz"):
        with tarfile.open(path, "r|gz") as package:
            for member in package:
                if member.isfile() and member.name.endswith(".xml"):
                    yield etree.fromstring(package.extractfile(member).read())
        return
    for root, _, files in os.walk(path):
        for name in files:
            if name.endswith(".xml"):
                yield etree.parse(os.path.join(root, name)).getroot()


def main():
    out, path = sys.argv[1], sys.argv[2]
    sets = {}
    for notice in documents(path):
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


if __name__ == "__main__":
    main()
