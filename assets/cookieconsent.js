/* mod_cookieconsent: progressive enhancement of the banner, the settings control and held
 * third-party elements.
 *
 * Without this file everything works: the banner's buttons POST to the endpoint, "Customise" and
 * "Privacy settings" GET the settings page. With it, those two open the same settings form in a
 * modal <dialog> fetched from `${endpoint}/settings?fragment=1`, and a choice made in the page
 * (banner, dialog, the placeholder of a held element) is posted with fetch (Accept:
 * application/json): the banner gives way to the "Privacy settings" button and the elements held
 * for the categories now accepted are activated, without a reload. A choice that withdraws a
 * consent is posted as a plain form instead: a running script cannot be unloaded, so the page
 * loads again. Closing the dialog records nothing. This script never reads or writes a cookie:
 * the decision belongs to the server, which tells the state (`accepted`) in its JSON answers. */
(function () {
  'use strict';

  /* The interface strings the script writes itself: the same as the server's (src/cc_i18n.c),
   * English for the languages without strings of their own, as there. */
  var CLOSE = { en: 'Close', fr: 'Fermer' };
  var PRIVACY = { en: 'Privacy settings', fr: 'Paramètres de confidentialité' };
  var opening = false;

  function label(table, lang) {
    var primary = String(lang || 'en').toLowerCase().split(/[-_]/)[0];
    return table[primary] || table.en;
  }

  function closeLabel(lang) {
    return label(CLOSE, lang);
  }

  function supported() {
    return typeof window.fetch === 'function' && typeof window.HTMLDialogElement === 'function' &&
      typeof HTMLDialogElement.prototype.showModal === 'function' &&
      typeof window.DOMParser === 'function';
  }

  /* The normal navigation the click would have done (GET of the settings page). */
  function navigate(opener, form) {
    if (opener.tagName === 'A' && opener.href) {
      window.location.assign(opener.href);
    } else if (form && typeof form.requestSubmit === 'function') {
      form.requestSubmit(opener.form === form ? opener : undefined);
    } else if (form) {
      form.submit();
    }
  }

  /* A scrollable table must be reachable with the keyboard (WCAG 2.1.1). */
  function focusableScrollers(scope) {
    var wraps = (scope || document).querySelectorAll('.cc-table-wrap');
    for (var i = 0; i < wraps.length; i++) {
      var w = wraps[i];
      if (w.scrollWidth > w.clientWidth + 1) {
        if (!w.hasAttribute('tabindex')) w.setAttribute('tabindex', '0');
      } else if (w.getAttribute('tabindex') === '0') {
        w.removeAttribute('tabindex');
      }
    }
  }

  function showDialog(opener, settingsForm, lang) {
    var dlg = document.createElement('dialog');
    dlg.className = 'cc-root cc-dialog';
    dlg.setAttribute('aria-labelledby', 'cc-settings-title');
    dlg.setAttribute('data-nosnippet', '');
    dlg.setAttribute('lang', settingsForm.getAttribute('lang') || lang);

    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'cc-dialog__close';
    close.textContent = closeLabel(dlg.getAttribute('lang'));
    close.addEventListener('click', function () { dlg.close(); });

    dlg.appendChild(close);
    dlg.appendChild(settingsForm);
    /* Clicking the backdrop (outside the dialog box) closes it, like Escape. */
    dlg.addEventListener('click', function (ev) {
      if (ev.target !== dlg) return;
      var r = dlg.getBoundingClientRect();
      if (ev.clientX < r.left || ev.clientX > r.right || ev.clientY < r.top || ev.clientY > r.bottom) {
        dlg.close();
      }
    });
    dlg.addEventListener('close', function () {
      if (dlg.parentNode) dlg.parentNode.removeChild(dlg);
      var back = opener && opener.isConnected ? opener : document.querySelector('[data-cc-open-settings]');
      if (back && typeof back.focus === 'function') back.focus();
    });

    document.body.appendChild(dlg);
    dlg.showModal();
    focusableScrollers(dlg);
    var first = dlg.querySelector('input[type="checkbox"]:not(:disabled)') ||
      dlg.querySelector('button:not(:disabled), a[href]');
    if (first) first.focus();
  }

  /* Openers are the module's buttons, or any element of the site marked data-cc-open-settings
   * (e.g. a footer link to the settings page): the endpoint then comes from the module's snippet. */
  async function openSettings(opener) {
    var form = opener.form || opener.closest('form');
    var root = opener.closest('[data-cc-endpoint]') || document.querySelector('[data-cc-endpoint]');
    var endpoint = root && root.getAttribute('data-cc-endpoint');
    if (!endpoint) {
      navigate(opener, form);
      return;
    }
    var ccRoot = opener.closest('.cc-root') || root;
    var lang = ccRoot.getAttribute('lang') || document.documentElement.lang || 'en';
    var ret = form && form.elements.namedItem('return');
    var back = ret && ret.value ? ret.value : window.location.pathname + window.location.search;
    var url = endpoint + '/settings?fragment=1&return=' + encodeURIComponent(back) +
      '&lang=' + encodeURIComponent(lang);
    try {
      var res = await fetch(url, {
        credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'text/html' }
      });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      var doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      var fetched = doc.querySelector('form.cc-settings');
      if (!fetched) throw new Error('no settings form');
      showDialog(opener, document.importNode(fetched, true), lang);
    } catch (e) {
      navigate(opener, form);
    }
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    var opener = t && typeof t.closest === 'function' ? t.closest('[data-cc-open-settings]') : null;
    if (!opener || ev.defaultPrevented || ev.button > 0 || ev.ctrlKey || ev.metaKey ||
        ev.shiftKey || ev.altKey || !supported() || document.querySelector('dialog.cc-dialog[open]')) {
      return;
    }
    ev.preventDefault();
    if (opening) return;
    opening = true;
    openSettings(opener).then(function () { opening = false; }, function () { opening = false; });
  });

  /* Room at the bottom of the page while the banner is shown. The banner is fixed, so without
   * this the end of the page (a form's last button, say) could never be scrolled out from under
   * it. <html> gets a padding-bottom that ends the document that much lower (below any content
   * overflowing a height:100% root too): the height of the strip the banner covers plus its gap.
   * And a scroll-padding-bottom as large, so that focused elements and anchors are scrolled above
   * the banner. Both follow the banner's size (ResizeObserver) and the viewport's (resize, after
   * it settles: phones resize while scrolling), and the site's own values come back when the
   * banner goes (removed, hidden, printed). The CSS has the fallback for pages without scripts. */
  function reserveRoom() {
    var banner = document.querySelector('.cc-root.cc-banner');
    var html = document.documentElement;
    if (!banner || !html) return;
    var inline = { pb: html.style.paddingBottom, spb: html.style.scrollPaddingBottom,
      attr: html.hasAttribute('style') };
    var applied = false;
    var ro = null;
    var timer = 0;

    function release() {
      if (!applied) return;
      html.style.paddingBottom = inline.pb;
      html.style.scrollPaddingBottom = inline.spb;
      if (!inline.attr && !html.getAttribute('style')) html.removeAttribute('style');
      applied = false;
    }

    function covered(cs) {
      /* offsetHeight: without the entry animation's transform; twice the gap: as much space
       * between the end of the page and the banner as between the banner and the viewport's edge */
      return banner.offsetHeight + 2 * (parseFloat(cs.bottom) || 0);
    }

    function stop() {
      release();
      if (ro) ro.disconnect();
      window.removeEventListener('resize', later);
      window.removeEventListener('beforeprint', release);
      window.removeEventListener('afterprint', update);
    }

    function update() {
      var x = window.scrollX, y = window.scrollY;
      release();                                  /* measure the page as the site made it */
      if (!banner.isConnected) { stop(); return; }
      var cs = window.getComputedStyle(banner);
      if (cs.position !== 'fixed' || cs.display === 'none' || !banner.offsetHeight) return;
      var root = window.getComputedStyle(html);
      var se = document.scrollingElement || html;
      var end = html.getBoundingClientRect().bottom + y + (parseFloat(root.marginBottom) || 0);
      var overflow = se.scrollHeight > se.clientHeight ? Math.max(0, se.scrollHeight - end) : 0;
      var pad = (parseFloat(root.paddingBottom) || 0) + overflow;
      var spad = parseFloat(root.scrollPaddingBottom) || 0;
      var room = 0;
      /* twice at most: the padding may bring a scrollbar, a narrower banner, one more line */
      for (var i = 0; i < 2; i++) {
        var need = covered(cs);
        if (need <= room) break;
        room = need;
        html.style.paddingBottom = Math.ceil(pad + room) + 'px';
        html.style.scrollPaddingBottom = Math.ceil(spad + room) + 'px';
        applied = true;
      }
      if (window.scrollY !== y || window.scrollX !== x) window.scrollTo(x, y);
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 150);
    }

    if (typeof window.ResizeObserver === 'function') {
      ro = new ResizeObserver(function () { update(); });
      ro.observe(banner);                         /* 0 x 0 once it is removed or hidden */
    }
    window.addEventListener('resize', later);
    window.addEventListener('beforeprint', release);
    window.addEventListener('afterprint', update);
    update();
  }

  /* ---------------------------------------------------------------------------------------- */
  /* Held elements (issue 8). The server, or the site by hand, keeps third-party elements from
   * loading until their category is accepted:
   *   <script type="text/plain" data-cookieconsent="CAT" data-cc-src="URL" [data-cc-type="T"]>
   *   (inline: no data-cc-src, the text kept), <iframe|img|embed data-cookieconsent="CAT"
   *   data-cc-src="URL" [data-cc-srcset]>, <link data-cc-href>, <object data-cc-data>,
   * an iframe preceded by <div class="cc-root cc-placeholder" data-cc-placeholder="CAT"> with an
   * "Allow and load" form. Several categories (space or comma separated) must all be accepted. */

  var URL_ATTRS = ['srcset', 'src', 'href', 'data'];   /* srcset first: an img fetches once */
  var JS_TYPE = /^(?:(?:application|text)\/(?:x-)?(?:java|ecma)script|text\/javascript1\.[0-5]|text\/(?:jscript|livescript))$/i;
  var claimed = typeof window.WeakSet === 'function' ? new WeakSet() : null;
  var known = null;          /* the categories accepted in the server's last answer */
  var stateSent = 0;         /* state requests and consent POSTs, numbered when sent ... */
  var stateApplied = 0;      /* ... so that an older answer arriving late changes nothing */
  var submitting = false;

  function fetchable() {
    return typeof window.fetch === 'function' && typeof window.URLSearchParams === 'function' &&
      typeof window.FormData === 'function' && typeof window.Promise === 'function' &&
      typeof window.URL === 'function' && !!claimed;
  }

  function categories(el, attr) {
    return String(el.getAttribute(attr) || '').split(/[\s,]+/).filter(Boolean);
  }

  function allAccepted(cats, accepted) {
    return cats.length > 0 && cats.every(function (c) { return accepted.indexOf(c) >= 0; });
  }

  function isHeld(el) {
    if (claimed.has(el)) return false;
    if (el.tagName === 'SCRIPT') {
      return /^\s*text\/plain\s*$/i.test(el.getAttribute('type') || '');
    }
    return URL_ATTRS.some(function (a) { return el.hasAttribute('data-cc-' + a); });
  }

  function heldElements() {
    var all = document.querySelectorAll('[data-cookieconsent]');
    var out = [];
    for (var i = 0; i < all.length; i++) {
      if (isHeld(all[i])) out.push(all[i]);
    }
    return out;
  }

  function scriptType(old) {
    return String(old.getAttribute('data-cc-type') || '').trim();
  }

  /* A held script's replacement: a new element (a script element runs once, when inserted), with
   * the original attributes, its type and src back. Dynamic scripts are async unless told not to
   * be: async=false keeps the document's order, and one that had async keeps it. The nonce is
   * hidden from getAttribute once the page has a CSP: it is copied through the property. Returns
   * a promise settled when the script has run, or null when it fires no event to wait for (an
   * inline classic script runs on insertion; another type does not run at all). */
  function swapScript(old) {
    var parent = old.parentNode;
    if (!parent) return null;
    var s = document.createElement('script');
    var type = scriptType(old);
    var module = /^module$/i.test(type);
    var src = old.getAttribute('data-cc-src');
    var attrs = old.attributes;
    for (var i = 0; i < attrs.length; i++) {
      var n = attrs[i].name;
      if (n !== 'type' && n !== 'nonce' && n !== 'data-cc-src' && n !== 'data-cc-type') {
        s.setAttribute(n, attrs[i].value);
      }
    }
    if (type) s.setAttribute('type', type);
    if (old.nonce) s.nonce = old.nonce;
    if (!old.hasAttribute('async')) s.async = false;
    if (src !== null) {
      s.setAttribute('src', src);
    } else {
      s.text = old.text;
    }
    var done = null;
    if (module || ((!type || JS_TYPE.test(type)) && !s.noModule && src !== null)) {
      done = new Promise(function (resolve) {
        s.addEventListener('load', resolve);
        s.addEventListener('error', resolve);
      });
    }
    claimed.add(s);
    parent.replaceChild(s, old);
    return done;
  }

  function inlineClassic(old) {
    var type = scriptType(old);
    return !old.hasAttribute('data-cc-src') && !/^module$/i.test(type);
  }

  /* In the order a parser would have run them: async ones as they come; then the others in
   * document order, an inline one waiting until the external ones before it have run (inserted
   * with async=false, those keep their order by themselves); defer and module scripts last. */
  function runScripts(list) {
    var ordered = [];
    var deferred = [];
    list.forEach(function (old) {
      var module = /^module$/i.test(scriptType(old));
      var external = old.hasAttribute('data-cc-src');
      if ((external || module) && old.hasAttribute('async')) {
        swapScript(old);
      } else if (module || (external && old.hasAttribute('defer'))) {
        deferred.push(old);
      } else {
        ordered.push(old);
      }
    });
    var queue = ordered.concat(deferred);
    var pending = [];
    (function step(from) {
      for (var i = from; i < queue.length; i++) {
        if (pending.length && inlineClassic(queue[i])) {
          Promise.all(pending).then(function () { pending = []; step(i); });
          return;
        }
        var done = swapScript(queue[i]);
        if (done) pending.push(done);
      }
    })(0);
  }

  /* Iframes, images, embeds, objects, links: their URL attributes back, in place. */
  function restore(el) {
    URL_ATTRS.forEach(function (a) {
      var v = el.getAttribute('data-cc-' + a);
      if (v !== null) {
        el.removeAttribute('data-cc-' + a);
        el.setAttribute(a, v);
      }
    });
  }

  function dropPlaceholders(accepted) {
    var list = document.querySelectorAll('.cc-placeholder[data-cc-placeholder]');
    for (var i = 0; i < list.length; i++) {
      var ph = list[i];
      if (!allAccepted(categories(ph, 'data-cc-placeholder'), accepted)) continue;
      var next = ph.nextElementSibling;
      var focused = ph.contains(document.activeElement);
      ph.parentNode.removeChild(ph);
      /* "Allow and load" had the focus: give it to what loads in the placeholder's place */
      if (focused && next && typeof next.focus === 'function') next.focus();
    }
  }

  /* Every held element whose categories are all accepted, once each, in document order. */
  function activate(accepted) {
    var scripts = [];
    heldElements().forEach(function (el) {
      if (!allAccepted(categories(el, 'data-cookieconsent'), accepted)) return;
      claimed.add(el);
      if (el.tagName === 'SCRIPT') {
        scripts.push(el);
      } else {
        restore(el);
      }
    });
    dropPlaceholders(accepted);
    runScripts(scripts);
  }

  /* A placeholder stands in the box of the element it holds the place of: that element's size,
   * display (inline or block) and margins, measured as the site lays it out (the CSS hides it
   * while its placeholder is there, except during the measurement: no frame is painted in
   * between), so that nothing moves when one replaces the other. */
  function fitPlaceholders() {
    var list = document.querySelectorAll('.cc-placeholder[data-cc-placeholder]');
    for (var i = 0; i < list.length; i++) {
      var ph = list[i];
      var el = ph.nextElementSibling;
      if (!el || !el.hasAttribute('data-cookieconsent') || !isHeld(el) || /^(SCRIPT|LINK)$/.test(el.tagName)) continue;
      el.setAttribute('data-cc-measure', '');
      var cs = window.getComputedStyle(el);
      var r = el.getBoundingClientRect();
      var display = cs.display;
      var margin = [cs.marginTop, cs.marginRight, cs.marginBottom, cs.marginLeft].join(' ');
      el.removeAttribute('data-cc-measure');
      if (display === 'none' || !r.width || !r.height) continue;   /* the site hides it itself */
      ph.style.setProperty('display', /^inline/.test(display) ? 'inline-flex' : 'flex');
      ph.style.setProperty('width', r.width + 'px');
      ph.style.setProperty('min-height', r.height + 'px');
      ph.style.setProperty('margin', margin);
    }
  }

  /* The server's state ({"accepted": [...]}, from /state or a consent POST). */
  /* Google Consent Mode: the server's "google_consent" values (present when the site maps its
   * categories to Google's signals), before any newly allowed tag runs. gtag() as Google's
   * snippet defines it when the page has none yet. */
  function consentUpdate(state) {
    var values = state && state.google_consent;
    if (!values || typeof values !== 'object') return;
    var gtag = typeof window.gtag === 'function' ? window.gtag : function () {
      (window.dataLayer = window.dataLayer || []).push(arguments);
    };
    gtag('consent', 'update', values);
  }

  /* chosen: the answer to a choice made in the page (the page's default already says the rest) */
  function applyState(state, seq, chosen) {
    if (!state || !Array.isArray(state.accepted)) return false;
    if (seq > stateApplied) {
      stateApplied = seq;
      known = state.accepted.map(String);
      if (chosen) consentUpdate(state);
      activate(known);
    }
    return true;
  }

  function endpoint() {
    var root = document.querySelector('[data-cc-endpoint]');
    return root && root.getAttribute('data-cc-endpoint');
  }

  /* Held elements on the page: the visitor may have accepted their category already. */
  function loadState() {
    var ep = endpoint();
    if (!ep || !fetchable() ||
        (!heldElements().length && !document.querySelector('.cc-placeholder[data-cc-placeholder]'))) {
      return;
    }
    var seq = ++stateSent;
    fetch(ep + '/state', {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' }
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (state) {
      applyState(state, seq);
    }).catch(function () { /* the elements stay held */ });
  }

  /* The "Privacy settings" button in the banner's place, as the server renders it for a visitor
   * who has decided (src/cc_render.c, cc_manage_button). */
  function showManage() {
    var banner = document.querySelector('.cc-root.cc-banner');
    if (!banner || !banner.parentNode) return;
    var lang = banner.getAttribute('lang') || 'en';
    var ep = banner.getAttribute('data-cc-endpoint') || '';
    var ret = banner.querySelector('input[name="return"]');
    var root = document.createElement('div');
    root.className = 'cc-root cc-manage';
    root.setAttribute('data-nosnippet', '');
    root.setAttribute('lang', lang);
    root.setAttribute('data-cc-endpoint', ep);
    var form = document.createElement('form');
    form.setAttribute('method', 'get');
    form.setAttribute('action', ep + '/settings');
    [['return', ret ? ret.value : window.location.pathname + window.location.search], ['lang', lang]]
      .forEach(function (f) {
        var input = document.createElement('input');
        input.setAttribute('type', 'hidden');
        input.setAttribute('name', f[0]);
        input.setAttribute('value', f[1]);
        form.appendChild(input);
      });
    var btn = document.createElement('button');
    btn.setAttribute('type', 'submit');
    btn.className = 'cc-manage__btn';
    btn.setAttribute('data-cc-open-settings', '');
    btn.textContent = label(PRIVACY, lang);
    form.appendChild(btn);
    root.appendChild(form);
    var focused = banner.contains(document.activeElement);
    banner.parentNode.replaceChild(root, banner);
    if (focused) btn.focus();
  }

  /* The optional categories accepted before and after the choice `action` made with `form`, as
   * far as the form tells: the dialog's switches were rendered with the server's state; the
   * banner is only shown to a visitor who has accepted nothing optional; "allow" adds one. null
   * for an action this script does not know. */
  function withdraws(form, action) {
    if (['accept-all', 'reject-all', 'save', 'allow'].indexOf(action) < 0) return null;
    if (action === 'accept-all' || action === 'allow' || !form.classList.contains('cc-settings')) {
      return false;
    }
    var boxes = form.querySelectorAll('input[type="checkbox"][name="category"]:not(:disabled)');
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].defaultChecked && (action === 'reject-all' || !boxes[i].checked)) return true;
    }
    return false;
  }

  /* The no-script round trip, when fetch failed: the same fields, the button's included. */
  function submitPlainly(form, btn) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = btn.name;
    input.value = btn.value;
    form.appendChild(input);
    HTMLFormElement.prototype.submit.call(form);
  }

  function submitChoice(form, btn) {
    var fields = new FormData(form);
    var body = new URLSearchParams();
    fields.append(btn.name, btn.value);
    fields.forEach(function (v, k) { if (typeof v === 'string') body.append(k, v); });
    var seq = ++stateSent;
    var abort = typeof window.AbortController === 'function' ? new AbortController() : null;
    var timer = abort ? window.setTimeout(function () { abort.abort(); }, 15000) : 0;
    /* not form.action: the buttons named "action" shadow it */
    var url = new URL(form.getAttribute('action') || '', document.baseURI).href;
    return fetch(url, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store', redirect: 'manual',
      headers: { Accept: 'application/json' }, body: body, signal: abort ? abort.signal : undefined
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    }).then(function (state) {
      if (!state || !Array.isArray(state.accepted)) throw new Error('no state');
      return state;
    }).then(function (state) {
      window.clearTimeout(timer);
      try {
        recorded(form, state, seq);
      } catch (e) { /* the choice is recorded: never post it twice */ }
    }, function () {
      window.clearTimeout(timer);
      submitPlainly(form, btn);
    });
  }

  function recorded(form, state, seq) {
    var accepted = state.accepted.map(String);
    /* something accepted before is not any more (a category this page did not know of) */
    if (known && known.some(function (c) { return accepted.indexOf(c) < 0; })) {
      window.location.reload();
      return;
    }
    if (state.decided !== false) showManage();
    var dlg = form.closest('dialog');
    if (dlg && dlg.open) dlg.close();
    applyState(state, seq, true);
  }

  /* Choices made in the page: the banner, the settings dialog, a placeholder. Not on the
   * module's own pages (the settings page goes back to the site anyway). */
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    var btn = ev.submitter;
    if (ev.defaultPrevented || !form || typeof form.closest !== 'function' || !btn || !btn.name ||
        btn.hasAttribute('formaction') || btn.hasAttribute('formmethod') ||
        String(form.getAttribute('method')).toLowerCase() !== 'post' ||
        !form.closest('.cc-banner, .cc-dialog, .cc-placeholder') ||
        document.body.classList.contains('cc-page') || !fetchable()) {
      return;
    }
    if (withdraws(form, btn.value) !== false) return;   /* posted plainly: the page reloads */
    ev.preventDefault();
    if (submitting) return;
    submitting = true;
    submitChoice(form, btn).then(function () { submitting = false; });
  });

  var refit = 0;
  function placeholders() {
    if (!claimed || !document.querySelector('.cc-placeholder[data-cc-placeholder]')) return;
    fitPlaceholders();
    window.addEventListener('resize', function () {
      window.clearTimeout(refit);
      refit = window.setTimeout(fitPlaceholders, 150);
    });
  }

  function ready() {
    try {
      reserveRoom();
    } catch (e) { /* never break the page */ }
    try {
      placeholders();
      loadState();
    } catch (e) { /* never break the page */ }
    try {
      focusableScrollers(document);
      if (typeof window.ResizeObserver === 'function' && document.querySelector('.cc-table-wrap')) {
        new ResizeObserver(function () { focusableScrollers(document); }).observe(document.documentElement);
      }
    } catch (e) { /* never break the page */ }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
