"""Validates JSON model files against docs/model-format.schema.json.

usage: check_schema.py SCHEMA FILE...   prints 'valid: FILE' or 'invalid: FILE: why'
"""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    errors = sorted(validator.iter_errors(json.load(open(path))), key=str)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        print(f"invalid: {path.split('/')[-1]}: /{where}: {errors[0].message}")
    else:
        print(f"valid: {path.split('/')[-1]}")
