#!/usr/bin/env python3
"""Reads a .qdpx the way QualCoder's REFI-QDA project import does, and reports what arrives.

QualCoder (LGPL, https://github.com/ccbogel/QualCoder) is not on PyPI, and its import runs inside
its Qt application, so this is a re-implementation, written from reading
`src/qualcoder/refi.py` (class RefiImport: import_project, parse_users, sub_codes,
parse_variables, load_text_source, load_codings_for_text, parse_notes, insert_annotation,
parse_cases, parse_set) and its project schema. It keeps what decides whether our export
survives there:

* the order of the passes (users, codebook, variables, links; sources with their selections;
  notes; cases; sets) and that an exception in one pass aborts the rest of the import;
* `parse_notes` reads `creationDateTime`, else `modifiedDateTime`, of every Note and calls
  `.replace('T', ' ')` on it: a Note with neither raises AttributeError and ends the import
  before cases, attributes and sets;
* a Note that a TextSource refers to is an annotation and needs a PlainTextSelection child;
  other Notes become journal entries only when they have a `plainTextPath` and a name;
* a coding's coder is the `creatingUser` (else `modifyingUser`) of its PlainTextSelection, not
  of the Coding; `code_text` is unique on (cid, fid, pos0, pos1, owner), so a second coding of
  the same code on the same span by the same owner is dropped ("Duplicated text coding for
  code and coder. Only one loaded.");
* the memo of a coding is its selection's Description, of a code its Description, of a case
  its Description, of a source its Description; code names are unique project-wide (a repeated
  name reuses the first code); `isCodable="false"` makes a category, anything else a code,
  nested under its parent code (`supercid`);
* text positions index the source text as Python reads it (code points, universal newlines).

Usage: qualcoder_refi_import.py FILE.qdpx [--rows]
Prints one JSON object: counts, the log lines QualCoder would show, the error that aborted the
import (or null) and, with --rows, every coding as [owner, source, pos0, pos1, code, seltext,
memo].
"""

import datetime
import json
import sqlite3
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

NS = "{urn:QDA-XML:project:1.0}"

# The tables the import writes, with QualCoder's columns and unique constraints.
SCHEMA = """
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text,
    memo text, owner text, date text, av_text_id integer, risid integer, unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text,
    supercatid integer, unique(name));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer,
    owner text, date text, color text, supercid integer, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text,
    pos0 integer, pos1 integer, owner text, date text, memo text, avid integer,
    important integer, unique(cid, fid, pos0, pos1, owner));
CREATE TABLE annotation (anid integer primary key, fid integer, pos0 integer, pos1 integer,
    memo text, owner text, date text, unique(fid, pos0, pos1, owner));
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text,
    caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text,
    id integer, date text, owner text, unique(name, attr_type, id));
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text, date text,
    constraint ucm unique(name));
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer,
    pos1 integer, owner text, date text, memo text, unique(caseid, fid, pos0, pos1));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text,
    unique(name));
"""


def now():
    return datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def tag(element, name):
    return element.tag == NS + name


def children(element, name):
    return [child for child in element if tag(child, name)]


def qualcoder_date(value):
    """QualCoder's conversion: it calls .replace on whatever attribute it found."""
    return value.replace("T", " ").replace("Z", "")


class Import:
    def __init__(self, archive):
        self.archive = archive
        self.db = sqlite3.connect(":memory:")
        self.db.executescript(SCHEMA)
        self.users = {}
        self.codes = {}
        self.variables = {}
        self.sources = []
        self.annotations = []
        self.log = []
        self.coder = "default"

    def user(self, element):
        guid = element.get("creatingUser")
        if guid is None:
            guid = element.get("modifyingUser")
        return self.users.get(guid, "default")

    def run(self, root):
        for child in root:
            if tag(child, "Users"):
                for user in child:
                    self.users[user.get("guid")] = user.get("name")
            if tag(child, "CodeBook"):
                for code in list(child)[0]:
                    self.sub_codes(code, None, None)
            if tag(child, "Variables"):
                self.parse_variables(child)
        for child in root:
            if tag(child, "Sources"):
                for source in children(child, "TextSource"):
                    self.load_text_source(source)
        for child in root:
            if tag(child, "Notes"):
                self.parse_notes(child)
        for child in root:
            if tag(child, "Cases"):
                self.parse_cases(child)
        for child in root:
            if tag(child, "Sets"):
                for group in children(child, "Set"):
                    self.parse_set(group)

    def sub_codes(self, element, cat_id, super_cid):
        description = ""
        for child in children(element, "Description"):
            description = child.text
        name = element.get("name")
        if element.get("isCodable") == "false":
            new_cat = None
            if name is not None:
                try:
                    cursor = self.db.execute(
                        "insert into code_cat (name, memo, owner, date, supercatid) values (?,?,'',?,?)",
                        (name, description, now(), cat_id),
                    )
                    new_cat = cursor.lastrowid
                except sqlite3.IntegrityError:
                    row = self.db.execute("select catid from code_cat where name=?", (name,)).fetchone()
                    new_cat = row[0] if row else None
            for child in children(element, "Code"):
                self.sub_codes(child, new_cat, None)
            return
        cid = None
        if name is not None:
            link_cat, link_super = (None, super_cid) if super_cid is not None else (cat_id, None)
            try:
                cursor = self.db.execute(
                    "insert into code_name (name, memo, owner, date, catid, color, supercid) values (?,?,'',?,?,?,?)",
                    (name, description, now(), link_cat, element.get("color"), link_super),
                )
                cid = cursor.lastrowid
                self.codes[element.get("guid")] = cid
            except sqlite3.IntegrityError:
                row = self.db.execute("select cid from code_name where name=?", (name,)).fetchone()
                cid = row[0] if row else None
        for child in children(element, "Code"):
            self.sub_codes(child, None, cid)

    def parse_variables(self, element):
        for variable in element:
            name = variable.get("name")
            kind = variable.get("typeOfVariable")
            kind = "numeric" if kind in ("Integer", "Float") else "character"
            self.variables[variable.get("guid")] = name
            try:
                self.db.execute(
                    "insert into attribute_type (name, date, owner, memo, caseOrFile, valuetype) values (?,?,?,?,?,?)",
                    (name, now(), self.coder, "", "file", kind),
                )
            except sqlite3.IntegrityError:
                self.log.append(f"Variable name already exists: {name}")

    def load_text_source(self, element):
        name = element.get("name")
        owner = self.user(element)
        date = element.get("creationDateTime") or element.get("modifiedDateTime")
        date = qualcoder_date(date if date is not None else now())
        if any(source["name"] == name for source in self.sources):
            name = f"{len(self.sources)}_{name}"
        memo = ""
        for child in children(element, "Description"):
            memo = child.text
        entry = "sources/" + element.get("plainTextPath").split("internal://")[1]
        raw = self.archive.read(entry)
        add_ending = b"\r\n" in raw.split(b"\n", 1)[0] + b"\n"
        fulltext = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        if add_ending:
            fulltext = fulltext.replace("\n", "\n ")
        cursor = self.db.execute(
            "insert into source (name, fulltext, mediapath, memo, owner, date) values (?,?,?,?,?,?)",
            (name, fulltext, None, memo, owner, date),
        )
        source = {"name": name, "id": cursor.lastrowid, "fulltext": fulltext, "guid": element.get("guid")}
        self.sources.append(source)
        for selection in children(element, "PlainTextSelection"):
            self.load_codings_for_text(source, selection)
        for note in children(element, "NoteRef"):
            self.annotations.append((note.get("targetGUID"), source["guid"]))
        for value in children(element, "VariableValue"):
            self.log.append(f"source variable value of {name}")

    def load_codings_for_text(self, source, element):
        pos0, pos1 = int(element.get("startPosition")), int(element.get("endPosition"))
        date = element.get("creationDateTime") or element.get("modifiedDateTime")
        date = qualcoder_date(date if date is not None else now())
        owner = self.user(element)
        seltext = source["fulltext"][pos0:pos1]
        memo = ""
        for child in children(element, "Description"):
            if child.text is not None:
                memo = child.text
        codings = children(element, "Coding")
        for coding in codings:
            cid = self.codes.get(list(coding)[0].get("targetGUID"))
            try:
                self.db.execute(
                    "insert into code_text (cid, fid, seltext, pos0, pos1, owner, memo, date) values (?,?,?,?,?,?,?,?)",
                    (cid, source["id"], seltext, pos0, pos1, owner, memo, date),
                )
            except sqlite3.IntegrityError:
                self.log.append(
                    f"Duplicated text coding for code and coder. Only one loaded. cid:{cid} fid: {source['id']} Positions:{pos0} - {pos1}"
                )
        if not codings:
            self.db.execute(
                "insert into annotation (fid, pos0, pos1, memo, owner, date) values (?,?,?,?,?,?)",
                (source["id"], pos0, pos1, memo, owner, date),
            )

    def parse_notes(self, element):
        for note in element:
            name = note.get("name")
            date = note.get("creationDateTime")
            if date is None:
                date = note.get("modifiedDateTime")
            date = qualcoder_date(date)  # AttributeError on a Note without either, as in QualCoder
            owner = self.user(note)
            annotation = False
            for note_guid, source_guid in self.annotations:
                if note_guid == note.get("guid"):
                    annotation = True
                    self.insert_annotation(source_guid, note)
                    break
            if note.get("plainTextPath") is not None and not annotation and name != "":
                entry = "sources/" + note.get("plainTextPath").split("internal://")[1]
                text = self.archive.read(entry).decode("utf-8", errors="replace")
                self.db.execute(
                    "insert into journal (name, jentry, owner, date) values (?,?,?,?)", (name, text, owner, date)
                )

    def insert_annotation(self, source_guid, note):
        memo = None
        positions = None
        for child in note:
            if tag(child, "PlainTextContent"):
                memo = child.text
            if tag(child, "PlainTextSelection"):
                positions = (child.get("startPosition"), child.get("endPosition"))
        if memo is None or positions is None:
            self.log.append(f"annotation note {note.get('name')!r} has no PlainTextSelection: not imported")
            return
        fid = next((s["id"] for s in self.sources if s["guid"] == source_guid), None)
        if fid is not None:
            self.db.execute(
                "insert into annotation (fid, pos0, pos1, memo, owner, date) values (?,?,?,?,?,?)",
                (fid, int(positions[0]), int(positions[1]), memo, self.user(note), now()),
            )

    def parse_cases(self, element):
        for case in element:
            name = case.get("name")
            if name is None:
                continue
            memo = ""
            for child in children(case, "Description"):
                memo = child.text
            cursor = self.db.execute(
                "insert into cases (name, memo, owner, date) values (?,?,?,?)", (name, memo, self.coder, now())
            )
            for value in children(case, "VariableValue"):
                guid, text = None, None
                for part in value:
                    if tag(part, "VariableRef"):
                        guid = part.get("targetGUID")
                    else:
                        text = part.text
                self.db.execute(
                    "insert into attribute (name, value, id, attr_type, date, owner) values (?,?,?,?,?,?)",
                    (self.variables.get(guid, ""), text, cursor.lastrowid, "case", now(), self.coder),
                )
                self.db.execute(
                    "update attribute_type set caseOrFile='case' where name=?", (self.variables.get(guid, ""),)
                )

    def parse_set(self, element):
        members = [m.get("targetGUID") for m in children(element, "MemberSource")]
        if members:
            self.log.append(f"set {element.get('name')!r} of sources becomes a file attribute")

    def report(self, rows):
        def count(sql):
            return self.db.execute(sql).fetchone()[0]

        report = {
            "users": len(self.users),
            "sources": count("select count(*) from source"),
            "sources_with_memo": count("select count(*) from source where memo <> ''"),
            "codes": count("select count(*) from code_name"),
            "nested_codes": count("select count(*) from code_name where supercid is not null"),
            "categories": count("select count(*) from code_cat"),
            "cases": count("select count(*) from cases"),
            "cases_with_memo": count("select count(*) from cases where memo <> ''"),
            "attributes": count("select count(*) from attribute_type"),
            "attribute_values": count("select count(*) from attribute where value is not null"),
            "codings": count("select count(*) from code_text"),
            "codings_without_code": count("select count(*) from code_text where cid is null"),
            "codings_with_memo": count("select count(*) from code_text where memo <> ''"),
            "codings_by_owner": dict(self.db.execute("select owner, count(*) from code_text group by owner")),
            "journals": count("select count(*) from journal"),
            "annotations": count("select count(*) from annotation"),
            "duplicates_dropped": sum(line.startswith("Duplicated text coding") for line in self.log),
            "log": self.log,
        }
        if rows:
            report["rows"] = [
                list(row)
                for row in self.db.execute(
                    "select code_text.owner, source.name, pos0, pos1, code_name.name, seltext, code_text.memo "
                    "from code_text join source on source.id = code_text.fid "
                    "left join code_name on code_name.cid = code_text.cid "
                    "order by source.name, pos0, pos1, code_text.owner, code_name.name"
                )
            ]
        return report


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    with zipfile.ZipFile(argv[1]) as archive:
        qde = next(name for name in archive.namelist() if name.endswith(".qde"))
        root = ElementTree.fromstring(archive.read(qde))
        importer = Import(archive)
        error = None
        try:
            importer.run(root)
        except Exception as exception:  # QualCoder's import stops at the first exception
            error = f"{type(exception).__name__}: {exception}"
        report = importer.report("--rows" in argv)
        report["aborted"] = error
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
