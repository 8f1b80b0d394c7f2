#!/usr/bin/env python3
"""Validates CI report files against the schemas committed under
Tests/DabiaoCoreTests/Fixtures/schemas: JUnit XML against Jenkins' xunit
`junit-10.xsd` (lxml) and SARIF against the SARIF 2.1.0 JSON schema
(jsonschema). Exits 1 with the first errors when a file does not validate.

    python3 scripts/validate_reports.py --junit report.xml --sarif report.sarif
"""
import argparse, json, os, sys

schemas = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DabiaoCoreTests", "Fixtures", "schemas")
parser = argparse.ArgumentParser()
parser.add_argument("--junit", action="append", default=[])
parser.add_argument("--sarif", action="append", default=[])
args = parser.parse_args()
failed = False

if args.junit:
    from lxml import etree
    xsd = etree.XMLSchema(etree.parse(os.path.join(schemas, "junit-10.xsd")))
    for path in args.junit:
        ok = xsd.validate(etree.parse(path))
        errors = list(xsd.error_log)
        print(f"{path}: junit-10.xsd {'valid' if ok else f'INVALID, {len(errors)} errors'}")
        for e in errors[:10]:
            print(f"  line {e.line}: {e.message}")
        failed |= not ok

if args.sarif:
    import jsonschema
    with open(os.path.join(schemas, "sarif-schema-2.1.0.json"), encoding="utf-8") as f:
        schema = json.load(f)
    # The committed copy (from AdaCore/sarif-ada) keeps the official schema's
    # top level under definitions.Root and has no top-level "$ref": starting
    # there makes the validator check a log at all.
    if "properties" not in schema and "Root" in schema.get("definitions", {}):
        schema = dict(schema, **{"$ref": "#/definitions/Root"})
    validator = jsonschema.Draft7Validator(schema)
    for path in args.sarif:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        print(f"{path}: SARIF 2.1.0 schema {'valid' if not errors else f'INVALID, {len(errors)} errors'}")
        for e in errors[:10]:
            print(f"  {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
        failed |= bool(errors)

sys.exit(1 if failed else 0)
