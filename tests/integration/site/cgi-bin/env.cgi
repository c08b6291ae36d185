#!/usr/bin/python3
import json, os, sys
out = {
    "cookie": os.environ.get("HTTP_COOKIE"),
    "env": {k: v for k, v in os.environ.items() if "COOKIECONSENT_" in k},
}
sys.stdout.write("Content-Type: application/json\r\n\r\n" + json.dumps(out))
