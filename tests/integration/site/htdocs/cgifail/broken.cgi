#!/bin/sh
echo 'this is not a header line' >&2
exit 1
