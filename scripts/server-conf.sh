#!/usr/bin/env bash
# Renders conf/dev/server.conf.in, the frame of every private Apache of this repository (tests,
# benches, demo), on stdout:
#   bash scripts/server-conf.sh GENERATOR=bench/soak.sh ROOT=/tmp/x LISTEN=127.0.0.1:8080 \
#        MODULES="mpm_event authz_core mime cookieconsent=/src/.libs/mod_cookieconsent.so" \
#        DOCROOT=/tmp/x/htdocs BODY="CookieConsent On"
# An argument is KEY=VALUE, or KEY@FILE for a value read from FILE byte for byte (BODY@-: from the
# standard input, for a large body, past the kernel's 128 KB limit on one argument). Values are
# inserted as they are, never scanned again: a BODY may hold "@PORT@", quotes, "$", "&", "\",
# newlines or bytes that are not UTF-8. Exit 2, with a message naming the key, on an unknown,
# repeated or missing key, a newline in a one-line key, a bad MODULES word or a placeholder of the
# template without a key.
set -euo pipefail
export LC_ALL=C                 # byte semantics: values that are not UTF-8 pass unchanged
set -f                          # MODULES is split into words, never globbed

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATE=${SERVER_CONF_TEMPLATE:-$here/../conf/dev/server.conf.in}   # another one: for its tests

# ------------------------------------------------------------------------------------------------
# The keys. Required ones have no default; every default is here.
REQUIRED=(GENERATOR ROOT LISTEN MODULES DOCROOT)
declare -A DEFAULT=(
    [MODDIR]=/usr/lib/apache2/modules   # where a MODULES short name is looked for
    [LOGLEVEL]=warn
    [SERVERNAME]=127.0.0.1
    [USER]=""                           # www-data when run as root (below); empty: no User line
    [GROUP]=""                          # empty: the USER's name
    [PROCESSES]=""                      # the MPM's tuning lines (StartServers, ThreadsPerChild...)
    [KEEPALIVE]=On
    [ACCESSLOG]=""                      # CustomLog's format: a nickname or "a quoted one"
    [DOCROOT_OPTIONS]=""                # Options of <Directory DOCROOT>: +ExecCGI +Includes
    [BODY]=""                           # the consumer's own directives, last
)
[ "$(id -u)" -eq 0 ] && DEFAULT[USER]=www-data
# GENERATOR: who generated the file (first comment line); ROOT: ServerRoot, with run/ and logs/;
# LISTEN: one Listen directive's arguments a line ("127.0.0.1:8443 https"); MODULES: short names
# (mpm_event -> mpm_event_module from MODDIR/mod_mpm_event.so) or name=PATH; DOCROOT: DocumentRoot.
ONE_LINE=(GENERATOR ROOT DOCROOT MODDIR LOGLEVEL SERVERNAME USER GROUP KEEPALIVE ACCESSLOG
          DOCROOT_OPTIONS)

die() { printf 'server-conf: %s\n' "$*" >&2; exit 2; }

declare -A V=() GIVEN=()
known() { [ -n "${DEFAULT[$1]+x}" ] || [[ " ${REQUIRED[*]} " == *" $1 "* ]]; }

for arg in "$@"; do
    key=${arg%%[=@]*}
    rest=${arg:${#key}}
    [ -n "$key" ] && [ -n "$rest" ] \
        || die "argument \"${arg:0:40}\": expected KEY=VALUE or KEY@FILE"
    [[ $key =~ ^[A-Z][A-Z0-9_]*$ ]] && known "$key" || die "unknown key ${key:0:40} (known:" \
        "${REQUIRED[*]} $(printf '%s\n' "${!DEFAULT[@]}" | sort | tr '\n' ' ' | sed 's/ $//'))"
    [ -z "${GIVEN[$key]+x}" ] || die "key $key given twice"
    case $rest in
    =*) V[$key]=${rest:1} ;;
    @*)
        file=${rest:1}
        if [ "$file" = - ]; then
            # fd 0 itself: /dev/stdin cannot be opened when it is a socket (node's spawnSync)
            value=$(cat && printf x) || die "key $key: cannot read the standard input"
        else
            [ -r "$file" ] || die "key $key: cannot read \"$file\""
            value=$(cat -- "$file" && printf x) || die "key $key: cannot read \"$file\""
        fi
        V[$key]=${value%x}
        ;;
    esac
    GIVEN[$key]=1
done
for key in "${REQUIRED[@]}"; do
    [ -n "${V[$key]:-}" ] || die "missing required key $key"
done
for key in "${!DEFAULT[@]}"; do
    [ -n "${GIVEN[$key]+x}" ] || V[$key]=${DEFAULT[$key]}
done
for key in "${ONE_LINE[@]}"; do
    [[ ${V[$key]} != *$'\n'* ]] || die "key $key: must be one line"
done
[ -n "${V[GROUP]}" ] || V[GROUP]=${V[USER]}

# ------------------------------------------------------------------------------------------------
# Placeholders whose text is built from their key's value.
modules=""
for word in ${V[MODULES]}; do
    case $word in
    *=*) name=${word%%=*}; path=${word#*=} ;;
    *) name=$word; path=${V[MODDIR]}/mod_$word.so ;;
    esac
    [[ $name =~ ^[a-z0-9_]+$ ]] && [ -n "$path" ] \
        || die "key MODULES: \"$word\" is neither a short name (mpm_event) nor name=PATH"
    modules+="LoadModule ${name}_module \"$path\""$'\n'
done
[ -n "$modules" ] || die "missing required key MODULES"
listen=""
while IFS= read -r line; do
    [ -n "${line//[[:space:]]/}" ] && listen+="Listen $line"$'\n'
done <<< "${V[LISTEN]}"
[ -n "$listen" ] || die "missing required key LISTEN"
user=""
[ -z "${V[USER]}" ] || user="User ${V[USER]}"$'\n'"Group ${V[GROUP]}"
accesslog=""
[ -z "${V[ACCESSLOG]}" ] || accesslog="CustomLog \"${V[ROOT]}/logs/access.log\" ${V[ACCESSLOG]}"
options=""
[ -z "${V[DOCROOT_OPTIONS]}" ] || options="    Options ${V[DOCROOT_OPTIONS]}"

expansion() {  # $1: a placeholder's name -> EXP
    case $1 in
    MODULES) EXP=$modules ;;
    LISTEN) EXP=$listen ;;
    USER) EXP=$user ;;
    ACCESSLOG) EXP=$accesslog ;;
    DOCROOT_OPTIONS) EXP=$options ;;
    *)
        if known "$1"; then
            EXP=${V[$1]}
        else
            die "the template's placeholder @$1@ has no key ($TEMPLATE)"
        fi
        ;;
    esac
}

# ------------------------------------------------------------------------------------------------
# Only the template's own text is scanned for placeholders; a value is inserted and left alone.
[ -r "$TEMPLATE" ] || die "cannot read the template $TEMPLATE"
out=""
while IFS= read -r line || [ -n "$line" ]; do
    case $line in '##'*) continue ;; esac
    if [[ $line =~ ^@([A-Z_]+)@$ ]]; then
        # a placeholder alone on its line: a block; nothing at all when empty
        expansion "${BASH_REMATCH[1]}"
        [ -n "$EXP" ] || continue
        out+=${EXP%$'\n'}$'\n'
        continue
    fi
    rest=$line
    while [[ $rest == *@* ]]; do
        out+=${rest%%@*}
        rest=${rest#*@}
        if [[ $rest =~ ^([A-Z_]+)@ ]]; then
            name=${BASH_REMATCH[1]}
            expansion "$name"
            out+=$EXP
            rest=${rest#"$name"@}
        else
            out+=@
        fi
    done
    out+=$rest$'\n'
done < "$TEMPLATE"
printf '%s' "$out"
