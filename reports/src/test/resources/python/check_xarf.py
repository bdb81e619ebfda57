"""Validates XARF v4 reports (one JSON document per line) with python3-jsonschema.

usage: check_xarf.py SCHEMA REPORTS
SCHEMA holds the required fields of the published XARF v4 core and messaging-spam schemas, written
out for this test. Prints "ok N" or the first validation error on stderr with exit status 1.
"""
import json
import sys

import jsonschema


def main(schema_path, reports_path):
    schema = json.load(open(schema_path))
    n = 0
    for line in open(reports_path):
        if not line.strip():
            continue
        try:
            jsonschema.validate(json.loads(line), schema, format_checker=jsonschema.FormatChecker())
        except jsonschema.ValidationError as e:
            print(e.message, file=sys.stderr)
            sys.exit(1)
        n += 1
    print('ok %d' % n)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
