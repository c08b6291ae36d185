/* mod_cookieconsent: the settings layer. cookieconsent.js loads this file (and
 * cookieconsent-settings.css) the first time a visitor opens the settings from the page, then
 * sends it the "cc-open" event: the settings form is fetched from `${endpoint}/settings?fragment=1`
 * and opened in a modal <dialog>; choices made in it are posted by cookieconsent.js. The module's
 * own pages (settings, policy) load it too, for their cookie tables. Served without comments and
 * indentation (scripts/minify.c), as cookieconsent.js, under the same rules. */
(function () {
  'use strict';

  var W = window;
  var D = document;
  var self = D.currentScript;

  function q(sel, scope) {
    return (scope || D).querySelector(sel);
  }

  function attr(el, name) {
    return el.getAttribute(name);
  }

  /* The normal navigation the click would have done (GET of the settings page). */
  function navigate(opener, form) {
    if (opener.tagName === 'A' && opener.href) {
      W.location.assign(opener.href);
    } else if (form) {
      form.requestSubmit(opener.form === form ? opener : undefined);
    }
  }

  /* A scrollable table must be reachable with the keyboard (WCAG 2.1.1). */
  function focusableScrollers(scope) {
    Array.prototype.forEach.call((scope || D).querySelectorAll('.cc-table-wrap'), function (w) {
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute('tabindex')) w.setAttribute('tabindex', '0');
      } else if (attr(w, 'tabindex') === '0') {
        w.removeAttribute('tabindex');
      }
    });
  }

  function showDialog(opener, settingsForm, lang) {
    var dlg = D.createElement('dialog');
    dlg.className = 'cc-root cc-dialog';
    dlg.setAttribute('aria-labelledby', 'cc-settings-title');
    dlg.setAttribute('data-nosnippet', '');
    dlg.setAttribute('lang', attr(settingsForm, 'lang') || lang);
    dlg.appendChild(settingsForm);
    var close = q('[data-cc-close]', settingsForm);
    if (close) close.addEventListener('click', function () { dlg.close(); });
    /* Clicking the backdrop (outside the dialog box) closes it, like Escape. */
    dlg.addEventListener('click', function (ev) {
      var r = dlg.getBoundingClientRect();
      if (ev.target === dlg && (ev.clientX < r.left || ev.clientX > r.right ||
          ev.clientY < r.top || ev.clientY > r.bottom)) {
        dlg.close();
      }
    });
    dlg.addEventListener('close', function () {
      dlg.remove();
      var back = opener.isConnected ? opener : q('[data-cc-open-settings]');
      if (back) back.focus();
    });
    D.body.appendChild(dlg);
    dlg.showModal();
    focusableScrollers(dlg);
    var first = q('input[type="checkbox"]:not(:disabled)', dlg) || q('button:not(:disabled), a[href]', dlg);
    if (first) first.focus();
  }

  /* Openers are the module's buttons, or any element of the site marked data-cc-open-settings
   * (e.g. a footer link to the settings page): the endpoint then comes from the module's snippet. */
  function openSettings(opener) {
    var form = opener.form || opener.closest('form');
    var root = opener.closest('[data-cc-endpoint]') || q('[data-cc-endpoint]');
    if (!root) return Promise.resolve(navigate(opener, form));
    var lang = attr(opener.closest('.cc-root') || root, 'lang') || D.documentElement.lang || 'en';
    var ret = form && form.elements.namedItem('return');
    var back = ret && ret.value ? ret.value : W.location.pathname + W.location.search;
    var url = attr(root, 'data-cc-endpoint') + '/settings?fragment=1&return=' +
      encodeURIComponent(back) + '&lang=' + encodeURIComponent(lang);
    return fetch(url, {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' }
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.text();
    }).then(function (text) {
      var fetched = q('form.cc-settings', new DOMParser().parseFromString(text, 'text/html'));
      if (!fetched) throw new Error('no settings form');
      showDialog(opener, D.importNode(fetched, true), lang);
    }).catch(function () {
      navigate(opener, form);
    });
  }

  /* A choice in the dialog that withdraws a consent (a switch the server rendered on is off, or
   * "Reject all" with one on) is posted as a plain form: a running script cannot be unloaded, so
   * the page loads again. Captured before cookieconsent.js's listener, which would post it with
   * fetch. */
  D.addEventListener('submit', function (ev) {
    var form = ev.target;
    var btn = ev.submitter;
    if (!form.closest || !form.closest('.cc-dialog') || !btn ||
        (btn.value !== 'save' && btn.value !== 'reject-all')) {
      return;
    }
    var boxes = form.querySelectorAll('input[type="checkbox"][name="category"]:not(:disabled)');
    if (Array.prototype.some.call(boxes, function (b) {
      return b.defaultChecked && (btn.value === 'reject-all' || !b.checked);
    })) {
      ev.stopImmediatePropagation();
    }
  }, true);

  /* The stylesheet of this layer, once, before the first dialog opens (with the page's style
   * nonce, from the first layer's stylesheet). */
  var sheet = null;
  function loadSheet() {
    if (!sheet) {
      sheet = new Promise(function (resolve, reject) {
        var first = q('link[href*="/cookieconsent.css"]');
        var link = D.createElement('link');
        link.rel = 'stylesheet';
        link.href = self.src.replace('cookieconsent-settings.js', 'cookieconsent-settings.css');
        if (first && first.nonce) link.nonce = first.nonce;
        link.onload = resolve;
        link.onerror = reject;
        /* after the first layer's: its rules come later in the cascade than that file's reset */
        if (first) {
          first.after(link);
        } else {
          D.head.appendChild(link);
        }
      });
    }
    return sheet;
  }

  var opening = false;
  D.addEventListener('click', function (ev) {
    var t = ev.target;
    var opener = t && t.closest ? t.closest('[data-cc-open-settings]') : null;
    if (!opener || ev.defaultPrevented || ev.button > 0 || ev.ctrlKey || ev.metaKey ||
        ev.shiftKey || ev.altKey || typeof W.HTMLDialogElement !== 'function' ||
        q('dialog.cc-dialog[open]')) {
      return;
    }
    ev.preventDefault();
    if (opening) return;
    opening = true;
    (q('link[href*="/cookieconsent-settings.css"]') ? Promise.resolve() : loadSheet()).then(function () {
      return openSettings(opener);
    }, function () {
      navigate(opener, opener.form || opener.closest('form'));
    }).then(function () { opening = false; });
  });

  function ready() {
    try {
      focusableScrollers();
      if (W.ResizeObserver && q('.cc-table-wrap')) {
        new ResizeObserver(function () { focusableScrollers(); }).observe(D.documentElement);
      }
    } catch (e) { /* never break the page */ }
  }
  if (D.readyState === 'loading') {
    D.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
