#!/usr/bin/env bash
# Validates `tiquete-gateway openapi` against the OpenAPI 3.0 specification with Python's
# openapi-spec-validator; exits 77 (ctest: skipped) where that module is not installed.
set -euo pipefail
gateway=${1:?usage: check_openapi.sh PATH_TO_TIQUETE_GATEWAY}
if ! python3 -c 'import openapi_spec_validator' 2>/dev/null; then
  echo "openapi-spec-validator is not installed: skipped"
  exit 77
fi
"$gateway" openapi | python3 -c '
import json, sys
from openapi_spec_validator import validate
doc = json.load(sys.stdin)
validate(doc)
print("valid OpenAPI %s: %d paths, %d schemas" % (doc["openapi"], len(doc["paths"]),
                                                  len(doc["components"]["schemas"])))'
