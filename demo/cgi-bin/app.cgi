#!/bin/sh
# Demo application for mod_cookieconsent: stands for the Django/WordPress/Matomo stack of the
# example policy. On every response it tries to set the cookies of conf/examples/outscale.conf
# (three necessary, two statistical) and one cookie that the policy does not declare, then shows
# the Cookie header and the COOKIECONSENT_* variables it received from Apache.
# Add ?format=text for a plain-text answer (handy with curl).

# Reads one cookie from the (already filtered) Cookie header; prints nothing if absent.
cookie_value() {
    printf '%s' "$HTTP_COOKIE" | tr ';' '\n' | sed -n "s/^ *$1=//p" | head -n 1
}

random_hex() {
    od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

html_escape() {
    sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

csrftoken=$(cookie_value csrftoken)
[ -n "$csrftoken" ] || csrftoken=$(random_hex 16)
sessionid=$(cookie_value sessionid)
[ -n "$sessionid" ] || sessionid=$(random_hex 16)
now=$(date +%s)

printf 'Cache-Control: no-store\r\n'
# Necessary (Django defaults: session cookie, 52 weeks, 2 weeks).
printf 'Set-Cookie: django_language=en; Path=/; SameSite=Lax\r\n'
printf 'Set-Cookie: csrftoken=%s; Max-Age=31449600; Path=/; SameSite=Lax\r\n' "$csrftoken"
printf 'Set-Cookie: sessionid=%s; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax\r\n' "$sessionid"
# Statistical (Matomo's visitor id, 13 months, and its 30-minute session cookie).
printf 'Set-Cookie: _pk_id.1.abcd=%s.%s; Max-Age=33955200; Path=/; SameSite=Lax\r\n' "$(random_hex 8)" "$now"
printf 'Set-Cookie: _pk_ses.1.abcd=1; Max-Age=1800; Path=/; SameSite=Lax\r\n'
# Not declared anywhere in the cookie table: refused unless "CookieConsentUndeclared allow".
printf 'Set-Cookie: ab_test_variant=B; Max-Age=2592000; Path=/; SameSite=Lax\r\n'

val=
vars="COOKIECONSENT_DECIDED COOKIECONSENT_SOURCE COOKIECONSENT_CATEGORIES COOKIECONSENT_REFUSED COOKIECONSENT_ID"

case "$QUERY_STRING" in
*format=text*)
    printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
    printf 'HTTP_COOKIE=%s\n' "$HTTP_COOKIE"
    for v in $vars; do
        eval "val=\${$v-(unset)}"
        printf '%s=%s\n' "$v" "$val"
    done
    exit 0
    ;;
esac

printf 'Content-Type: text/html; charset=utf-8\r\n\r\n'
[ "$REQUEST_METHOD" = HEAD ] && exit 0

statistical_checked=
case " $COOKIECONSENT_CATEGORIES " in
*" statistical "*) statistical_checked=' checked' ;;
esac

cat <<EOF
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo application</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header>
  <p class="brand">Example cloud</p>
  <nav>
    <a href="/">Home</a>
    <a href="/vendors.html">Third-party scripts</a>
    <a href="/cgi-bin/app.cgi">Application</a>
    <a href="/status.shtml">Consent status (SSI)</a>
    <a href="/cookieconsent/state">State (JSON)</a>
  </nav>
</header>
<main>
<h1>Demo application (CGI)</h1>

<h2>Cookie header received</h2>
<p>With <code>CookieConsentFilterRequest On</code>, refused cookies have been removed before this
program runs.</p>
<pre>$(printf '%s' "${HTTP_COOKIE-(no Cookie header)}" | html_escape)</pre>

<h2>Consent variables received</h2>
<table>
EOF
for v in $vars; do
    eval "val=\${$v-(unset)}"
    printf '  <tr><th>%s</th><td>%s</td></tr>\n' "$v" "$(printf '%s' "$val" | html_escape)"
done
cat <<EOF
</table>

<h2>Cookies this program tried to set</h2>
<table>
  <tr><th>Cookie</th><th>Category</th><th>Lifetime</th></tr>
  <tr><td><code>django_language</code></td><td>necessary</td><td>session</td></tr>
  <tr><td><code>csrftoken</code></td><td>necessary</td><td>52 weeks</td></tr>
  <tr><td><code>sessionid</code></td><td>necessary</td><td>2 weeks</td></tr>
  <tr><td><code>_pk_id.1.abcd</code></td><td>statistical</td><td>13 months</td></tr>
  <tr><td><code>_pk_ses.1.abcd</code></td><td>statistical</td><td>30 minutes</td></tr>
  <tr><td><code>ab_test_variant</code></td><td>not declared</td><td>30 days</td></tr>
</table>
<p>Compare with the cookies your browser actually stored: the module removed the
<code>Set-Cookie</code> headers of refused cookies.</p>

<h2>Your own privacy settings form</h2>
<form method="post" action="/cookieconsent/consent">
  <input type="hidden" name="return" value="/cgi-bin/app.cgi">
  <p><label><input type="checkbox" checked disabled> Necessary cookies (always on)</label></p>
  <p><label><input type="checkbox" name="category" value="statistical"$statistical_checked> Statistical cookies</label></p>
  <p>
    <button type="submit" name="action" value="accept-all">Accept all</button>
    <button type="submit" name="action" value="reject-all">Reject all</button>
    <button type="submit" name="action" value="save">Save my choice</button>
  </p>
</form>
</main>
</body>
</html>
EOF
