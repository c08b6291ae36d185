#!/usr/bin/python3
import os, sys, urllib.parse
q = urllib.parse.parse_qs(os.environ.get("QUERY_STRING", ""))
hname = q.get("h", ["Set-Cookie"])[0]
sys.stdout.write("Content-Type: text/plain\r\n")
for n in q.get("n", []):
    sys.stdout.write("%s: %s=v; Path=/\r\n" % (hname, n))
sys.stdout.write("\r\nset\n")
