/* Stand-in for Matomo's matomo.js, served by the tracker of scripts/demo.sh (not Matomo's code).
 *
 * It does what the real tracker does as far as cookies and hits go: it runs the commands queued
 * in window._paq (setTrackerUrl, setSiteId, trackPageView), creates the visitor cookie
 * _pk_id.<site>.<hash> (13 months) and the session cookie _pk_ses.<site>.<hash> (30 minutes)
 * with document.cookie, and sends the page view to matomo.php as an image request. document.cookie
 * in a script that the page loaded writes the PAGE's cookies (host-only, for the page's host):
 * they come back to the demo site on its next request, where mod_cookieconsent sees them. */
(function () {
  'use strict';
  var queued = window._paq || [];
  var trackerUrl = '';
  var siteId = '';

  /* Matomo suffixes its cookie names with 4 hex digits derived from the site's host and path. */
  function hash4(s) {
    var h = 0x811c9dc5, i;
    for (i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return ('0000' + (h & 0xffff).toString(16)).slice(-4);
  }

  function randomHex(bytes) {
    var a = new Uint8Array(bytes), s = '', i;
    window.crypto.getRandomValues(a);
    for (i = 0; i < a.length; i++) s += ('0' + a[i].toString(16)).slice(-2);
    return s;
  }

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [], i;
    for (i = 0; i < parts.length; i++) {
      if (parts[i].slice(0, name.length + 1) === name + '=') return parts[i].slice(name.length + 1);
    }
    return null;
  }

  function setCookie(name, value, maxAge) {
    document.cookie = name + '=' + value + '; Max-Age=' + maxAge + '; Path=/; SameSite=Lax';
  }

  function trackPageView() {
    var suffix = '.' + siteId + '.' + hash4(location.hostname + '/');
    var now = Math.floor(Date.now() / 1000);
    var id = readCookie('_pk_id' + suffix);
    var visitorId = id ? id.split('.')[0] : randomHex(8);
    setCookie('_pk_id' + suffix, visitorId + '.' + (id ? id.split('.')[1] : now) + '.', 33955200);
    setCookie('_pk_ses' + suffix, '1', 1800);
    if (!trackerUrl) return;
    var q = 'idsite=' + encodeURIComponent(siteId) + '&rec=1' +
            '&action_name=' + encodeURIComponent(document.title) +
            '&url=' + encodeURIComponent(location.href) +
            '&urlref=' + encodeURIComponent(document.referrer) +
            '&_id=' + visitorId + '&res=' + screen.width + 'x' + screen.height +
            '&send_image=1&rand=' + randomHex(3);
    new Image(1, 1).src = trackerUrl + (trackerUrl.indexOf('?') < 0 ? '?' : '&') + q;
  }

  function run(cmd) {
    if (!cmd || !cmd.length) return;
    switch (cmd[0]) {
    case 'setTrackerUrl': trackerUrl = String(cmd[1]); break;
    case 'setSiteId': siteId = String(cmd[1]); break;
    case 'trackPageView': trackPageView(); break;
    default: break; /* enableLinkTracking and the rest: nothing to stand in for */
    }
  }

  /* Matomo applies setTrackerUrl and setSiteId before the rest of the queue. */
  var i, rest = [];
  for (i = 0; i < queued.length; i++) {
    if (queued[i][0] === 'setTrackerUrl' || queued[i][0] === 'setSiteId') run(queued[i]);
    else rest.push(queued[i]);
  }
  for (i = 0; i < rest.length; i++) run(rest[i]);
  /* Later _paq.push() calls run at once, as with the real tracker. */
  window._paq = { push: function () { for (var j = 0; j < arguments.length; j++) run(arguments[j]); } };
})();
