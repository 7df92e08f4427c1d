#!/usr/bin/env python3
"""Checks the OpenAPI document with a real peer, the `openapi-spec-validator` package (which brings
`openapi-schema-validator` and `jsonschema`): the document must be valid OpenAPI 3.1, and each wire example
must be valid (or, when marked so, invalid) against its component schema, formats checked.

Usage: validate_openapi.py DOC.json EXAMPLES.json, where EXAMPLES is a list of
{"schema": NAME, "json": VALUE, "valid": BOOL}. Exit status 0 when everything is as expected.
Install: pip install openapi-spec-validator
"""
import json
import sys

from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate


def main(doc_path, examples_path):
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    with open(examples_path, encoding="utf-8") as f:
        examples = json.load(f)
    validate(doc)
    failures = 0
    for example in examples:
        schema = {"$ref": "#/components/schemas/" + example["schema"], "components": doc["components"]}
        validator = OAS31Validator(schema, format_checker=oas31_format_checker)
        errors = [e.message for e in validator.iter_errors(example["json"])]
        if bool(errors) == example["valid"]:
            failures += 1
            print(f"{example['schema']}: expected valid={example['valid']}, errors={errors}: {example['json']}")
    print(f"checked {len(examples)} examples, {failures} unexpected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
