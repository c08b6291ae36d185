/* Stand-in for the Zendesk Web Widget (static.zdassets.com/ekr/snippet.js), served by the tracker
 * of scripts/demo.sh (not Zendesk's code). Like the real widget it creates _zlcmid (1 year) with
 * document.cookie, that is for the PAGE's host, and shows a chat button in the corner. */
(function () {
  'use strict';
  var script = document.currentScript;
  var key = script ? (new URL(script.src).searchParams.get('key') || '') : '';

  function id() {
    var chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    var a = new Uint8Array(14), s = '', i;
    window.crypto.getRandomValues(a);
    for (i = 0; i < a.length; i++) s += chars.charAt(a[i] % chars.length);
    return s;
  }

  if (document.cookie.split('; ').every(function (c) { return c.indexOf('_zlcmid=') !== 0; })) {
    document.cookie = '_zlcmid=' + id() + '; Max-Age=31536000; Path=/; SameSite=Lax';
  }

  /* The widget's API: calls are accepted and ignored. */
  window.zE = window.zE || function () {};

  function show() {
    var button = document.createElement('button');
    var panel = document.createElement('div');
    button.type = 'button';
    button.id = 'demo-chat-button';
    button.textContent = 'Chat';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', 'demo-chat-panel');
    button.style.cssText = 'position:fixed;right:1rem;bottom:1rem;z-index:1000;margin:0;' +
      'padding:.6rem 1.1rem;border:0;border-radius:2rem;background:#03363d;color:#fff;' +
      'font:600 1rem system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer';
    panel.id = 'demo-chat-panel';
    panel.hidden = true;
    panel.style.cssText = 'position:fixed;right:1rem;bottom:4.5rem;z-index:1000;max-width:18rem;' +
      'padding:.75rem 1rem;border-radius:.5rem;background:#fff;color:#1b1b1b;' +
      'font:.9rem/1.4 system-ui,sans-serif;box-shadow:0 2px 12px rgba(0,0,0,.3)';
    panel.textContent = 'Stand-in for the Zendesk chat widget (key ' + (key || 'none') +
      '). It set the cookie _zlcmid for ' + location.hostname + '.';
    button.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      button.setAttribute('aria-expanded', String(!panel.hidden));
    });
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }

  if (document.body) show();
  else document.addEventListener('DOMContentLoaded', show);
})();
