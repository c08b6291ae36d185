#!/bin/sh
printf 'Status: 500 Internal Server Error\r\n'
printf 'Content-Type: text/plain\r\n'
printf 'Set-Cookie: csrftoken=tok1; Path=/; SameSite=Lax\r\n'
printf 'Set-Cookie: _pk_id.1.abcd=id1; Path=/; Max-Age=33696000\r\n'
printf 'Set-Cookie: sessionid=sess1; Path=/; HttpOnly\r\n'
printf 'Set-Cookie: tracker=t1; Path=/\r\n'
printf 'Set-Cookie: _pk_ses.1.abcd=ses1; Path=/; Max-Age=1800\r\n'
printf '\r\n'
echo failed
