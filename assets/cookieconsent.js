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
 * the decision belongs to the server, which tells the state (`accepted`) in its JSON answers.
 *
 * The dialog itself is cookieconsent-settings.js, loaded when it is first opened. Every text the
 * scripts show comes from the server's markup, in the visitor's language: the dialog's Close
 * button is in the settings fragment, the settings button's label in the banner's form
 * (data-cc-manage). The module serves this file without its comments and indentation
 * (scripts/minify.c): comment freely, end every statement with a semicolon, no template literal
 * and no regular expression right after a closing brace. */
(function () {
  'use strict';

  var W = window;
  var D = document;
  var opening = false;

  function q(sel, scope) {
    return (scope || D).querySelector(sel);
  }

  function qa(sel, scope) {
    return Array.from((scope || D).querySelectorAll(sel));
  }

  function attr(el, name) {
    return el.getAttribute(name);
  }

  function fetchable() {
    return !!(W.fetch && W.URLSearchParams && W.FormData && claimed);
  }

  /* The settings layer (cookieconsent-settings.js, next to this file, with the page's nonce) is
   * loaded the first time a visitor opens it: the first layer does not carry it. Openers are the
   * module's buttons, or any element of the site marked data-cc-open-settings (e.g. a footer link
   * to the settings page). Once loaded, the layer handles the clicks itself (it is given this
   * one again); if it cannot be loaded, the click does what it does without scripts. */
  var self = D.currentScript;
  var layer = null;
  D.addEventListener('click', function (ev) {
    var t = ev.target;
    var opener = t && t.closest ? t.closest('[data-cc-open-settings]') : null;
    if (!opener || layer || !self || ev.defaultPrevented || ev.button > 0 || ev.ctrlKey ||
        ev.metaKey || ev.shiftKey || ev.altKey || !fetchable()) {
      return;
    }
    ev.preventDefault();
    layer = D.createElement('script');
    layer.src = self.src.replace('cookieconsent.js', 'cookieconsent-settings.js');
    layer.nonce = self.nonce;
    layer.onload = function () { opener.click(); };
    layer.onerror = function () {
      var form = opener.form || opener.closest('form');
      if (opener.href) {
        W.location.assign(opener.href);
      } else if (form) {
        form.requestSubmit(opener.form === form ? opener : undefined);
      }
    };
    D.head.appendChild(layer);
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
    var banner = q('.cc-root.cc-banner');
    var html = D.documentElement;
    if (!banner) return;
    var st = html.style;
    var inline = [st.paddingBottom, st.scrollPaddingBottom, html.hasAttribute('style')];
    var applied = false;
    var ro = null;
    var timer = 0;

    function release() {
      if (!applied) return;
      st.paddingBottom = inline[0];
      st.scrollPaddingBottom = inline[1];
      if (!inline[2] && !attr(html, 'style')) html.removeAttribute('style');
      applied = false;
    }

    function update() {
      var x = W.scrollX, y = W.scrollY;
      release();                                  /* measure the page as the site made it */
      if (!banner.isConnected) {                  /* gone: the listeners find nothing to do */
        if (ro) ro.disconnect();
        return;
      }
      var cs = getComputedStyle(banner);
      if (cs.position !== 'fixed' || cs.display === 'none' || !banner.offsetHeight) return;
      var root = getComputedStyle(html);
      var se = D.scrollingElement || html;
      var end = html.getBoundingClientRect().bottom + y + (parseFloat(root.marginBottom) || 0);
      var overflow = se.scrollHeight > se.clientHeight ? Math.max(0, se.scrollHeight - end) : 0;
      var pad = (parseFloat(root.paddingBottom) || 0) + overflow;
      var spad = parseFloat(root.scrollPaddingBottom) || 0;
      var room = 0;
      /* twice at most: the padding may bring a scrollbar, a narrower banner, one more line.
       * offsetHeight: without the entry animation's transform; twice the gap: as much space
       * between the end of the page and the banner as between the banner and the viewport's
       * edge */
      for (var i = 0; i < 2; i++) {
        var need = banner.offsetHeight + 2 * (parseFloat(cs.bottom) || 0);
        if (need <= room) break;
        room = need;
        st.paddingBottom = Math.ceil(pad + room) + 'px';
        st.scrollPaddingBottom = Math.ceil(spad + room) + 'px';
        applied = true;
      }
      if (W.scrollY !== y || W.scrollX !== x) W.scrollTo(x, y);
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(update, 150);
    }

    if (W.ResizeObserver) {
      ro = new ResizeObserver(function () { update(); });
      ro.observe(banner);                         /* 0 x 0 once it is removed or hidden */
    }
    W.addEventListener('resize', later);
    W.addEventListener('beforeprint', release);
    W.addEventListener('afterprint', update);
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
  var PH = '.cc-placeholder[data-cc-placeholder]';
  var claimed = W.WeakSet ? new WeakSet() : null;
  var known = null;          /* the categories accepted in the server's last answer */
  var stateSent = 0;         /* state requests and consent POSTs, numbered when sent ... */
  var stateApplied = 0;      /* ... so that an older answer arriving late changes nothing */
  var submitting = false;

  /* Every category of el's attribute name is in accepted. */
  function allAccepted(el, name, accepted) {
    var cats = (attr(el, name) || '').split(/[\s,]+/).filter(Boolean);
    return cats.length > 0 && cats.every(function (c) { return accepted.indexOf(c) >= 0; });
  }

  function isHeld(el) {
    if (claimed.has(el)) return false;
    if (el.tagName === 'SCRIPT') return /^\s*text\/plain\s*$/i.test(attr(el, 'type') || '');
    return URL_ATTRS.some(function (a) { return el.hasAttribute('data-cc-' + a); });
  }

  function heldElements() {
    return qa('[data-cookieconsent]').filter(isHeld);
  }

  function scriptType(old) {
    return (attr(old, 'data-cc-type') || '').trim();
  }

  function isModule(old) {
    return /^module$/i.test(scriptType(old));
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
    var s = D.createElement('script');
    var type = scriptType(old);
    var src = attr(old, 'data-cc-src');
    Array.from(old.attributes).forEach(function (a) {
      if (!/^(type|nonce|data-cc-src|data-cc-type)$/.test(a.name)) s.setAttribute(a.name, a.value);
    });
    if (type) s.setAttribute('type', type);
    if (old.nonce) s.nonce = old.nonce;
    if (!old.hasAttribute('async')) s.async = false;
    if (src !== null) {
      s.setAttribute('src', src);
    } else {
      s.text = old.text;
    }
    var done = null;
    if (isModule(old) || ((!type || JS_TYPE.test(type)) && !s.noModule && src !== null)) {
      done = new Promise(function (resolve) {
        s.addEventListener('load', resolve);
        s.addEventListener('error', resolve);
      });
    }
    claimed.add(s);
    parent.replaceChild(s, old);
    return done;
  }

  /* In the order a parser would have run them: async ones as they come; then the others in
   * document order, an inline one waiting until the external ones before it have run (inserted
   * with async=false, those keep their order by themselves); defer and module scripts last. */
  function runScripts(list) {
    var ordered = [];
    var deferred = [];
    list.forEach(function (old) {
      var external = old.hasAttribute('data-cc-src');
      if ((external || isModule(old)) && old.hasAttribute('async')) {
        swapScript(old);
      } else if (isModule(old) || (external && old.hasAttribute('defer'))) {
        deferred.push(old);
      } else {
        ordered.push(old);
      }
    });
    var queue = ordered.concat(deferred);
    var pending = [];
    (function step(from) {
      for (var i = from; i < queue.length; i++) {
        if (pending.length && !queue[i].hasAttribute('data-cc-src') && !isModule(queue[i])) {
          Promise.all(pending).then(function () { pending = []; step(i); });
          return;
        }
        var done = swapScript(queue[i]);
        if (done) pending.push(done);
      }
    })(0);
  }

  /* Every held element whose categories are all accepted, once each, in document order:
   * iframes, images, embeds, objects, links get their URL attributes back, in place; the
   * placeholders whose categories are accepted go. */
  function activate(accepted) {
    var scripts = [];
    heldElements().forEach(function (el) {
      if (!allAccepted(el, 'data-cookieconsent', accepted)) return;
      claimed.add(el);
      if (el.tagName === 'SCRIPT') {
        scripts.push(el);
        return;
      }
      URL_ATTRS.forEach(function (a) {
        var v = attr(el, 'data-cc-' + a);
        if (v !== null) {
          el.removeAttribute('data-cc-' + a);
          el.setAttribute(a, v);
        }
      });
    });
    qa(PH).forEach(function (ph) {
      if (!allAccepted(ph, 'data-cc-placeholder', accepted)) return;
      var next = ph.nextElementSibling;
      var focused = ph.contains(D.activeElement);
      ph.remove();
      /* "Allow and load" had the focus: give it to what loads in the placeholder's place */
      if (focused && next) next.focus();
    });
    runScripts(scripts);
  }

  /* A placeholder stands in the box of the element it holds the place of: that element's size,
   * display (inline or block) and margins, measured as the site lays it out (the CSS hides it
   * while its placeholder is there, except during the measurement: no frame is painted in
   * between), so that nothing moves when one replaces the other. */
  function fitPlaceholders() {
    qa(PH).forEach(function (ph) {
      var el = ph.nextElementSibling;
      if (!el || !el.hasAttribute('data-cookieconsent') || !isHeld(el) || /^(SCRIPT|LINK)$/.test(el.tagName)) return;
      el.setAttribute('data-cc-measure', '');
      var cs = getComputedStyle(el);
      var r = el.getBoundingClientRect();
      var display = cs.display;
      var margin = [cs.marginTop, cs.marginRight, cs.marginBottom, cs.marginLeft].join(' ');
      el.removeAttribute('data-cc-measure');
      if (display === 'none' || !r.width || !r.height) return;   /* the site hides it itself */
      var s = ph.style;
      s.setProperty('display', /^inline/.test(display) ? 'inline-flex' : 'flex');
      s.setProperty('width', r.width + 'px');
      s.setProperty('min-height', r.height + 'px');
      s.setProperty('margin', margin);
    });
  }

  /* The server's state ({"accepted": [...]}, from /state or a consent POST). Google Consent
   * Mode: the server's "google_consent" values (present when the site maps its categories to
   * Google's signals), before any newly allowed tag runs; gtag() as Google's snippet defines it
   * when the page has none yet. chosen: the answer to a choice made in the page (the page's
   * default already says the rest). */
  function applyState(state, seq, chosen) {
    if (!state || !Array.isArray(state.accepted)) return;
    if (seq > stateApplied) {
      stateApplied = seq;
      known = state.accepted.map(String);
      var values = state.google_consent;
      if (chosen && values && typeof values === 'object') {
        (typeof W.gtag === 'function' ? W.gtag : function () {
          (W.dataLayer = W.dataLayer || []).push(arguments);
        })('consent', 'update', values);
      }
      activate(known);
    }
  }

  /* Held elements on the page: the visitor may have accepted their category already. */
  function loadState() {
    var root = q('[data-cc-endpoint]');
    if (!root || !fetchable() || (!heldElements().length && !q(PH))) return;
    var seq = ++stateSent;
    fetch(attr(root, 'data-cc-endpoint') + '/state', {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' }
    }).then(function (res) {
      return res.ok ? res.json() : null;
    }).then(function (state) {
      applyState(state, seq);
    }).catch(function () { /* the elements stay held */ });
  }

  /* The "Privacy settings" button in the banner's place: the server renders it for a visitor who
   * has decided, and in a <template> of the banner for this moment (src/cc_render.c). */
  function showManage() {
    var banner = q('.cc-root.cc-banner');
    var t = banner && q('template', banner);
    if (!t) return;
    var root = D.importNode(t.content, true).firstChild;
    q('[name="return"]', root).value = q('[name="return"]', banner).value;
    var focused = banner.contains(D.activeElement);
    banner.replaceWith(root);
    if (focused) q('button', root).focus();
  }

  function submitChoice(form, btn) {
    var body = new URLSearchParams();
    var fields = new FormData(form);
    fields.append(btn.name, btn.value);
    fields.forEach(function (v, k) { if (typeof v === 'string') body.append(k, v); });
    var seq = ++stateSent;
    var abort = W.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, 15000) : 0;
    /* not form.action: the buttons named "action" shadow it */
    return fetch(new URL(attr(form, 'action') || '', D.baseURI).href, {
      method: 'POST', credentials: 'same-origin', cache: 'no-store', redirect: 'manual',
      headers: { Accept: 'application/json' }, body: body, signal: abort ? abort.signal : undefined
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    }).then(function (state) {
      if (!state || !Array.isArray(state.accepted)) throw new Error('no state');
      clearTimeout(timer);
      try {
        recorded(form, state, seq);
      } catch (e) { /* the choice is recorded: never post it twice */ }
    }, function () {
      /* the no-script round trip: the same fields, the button's included */
      clearTimeout(timer);
      var input = D.createElement('input');
      input.type = 'hidden';
      input.name = btn.name;
      input.value = btn.value;
      form.appendChild(input);
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  function recorded(form, state, seq) {
    var accepted = state.accepted.map(String);
    /* something accepted before is not any more (a category this page did not know of) */
    if (known && known.some(function (c) { return accepted.indexOf(c) < 0; })) {
      W.location.reload();
      return;
    }
    if (state.decided !== false) showManage();
    var dlg = form.closest('dialog');
    if (dlg && dlg.open) dlg.close();
    applyState(state, seq, true);
  }

  /* Choices made in the page: the banner, the settings dialog, a placeholder. Not on the
   * module's own pages (the settings page goes back to the site anyway), nor an action this
   * script does not know. A choice in the dialog that withdraws a consent is posted plainly, the
   * page then loads again: cookieconsent-settings.js stops the event before it gets here. */
  D.addEventListener('submit', function (ev) {
    var form = ev.target;
    var btn = ev.submitter;
    if (ev.defaultPrevented || !form || !form.closest || !btn || !btn.name ||
        btn.hasAttribute('formaction') || btn.hasAttribute('formmethod') ||
        String(attr(form, 'method')).toLowerCase() !== 'post' ||
        !form.closest('.cc-banner, .cc-dialog, .cc-placeholder') ||
        D.body.classList.contains('cc-page') || !fetchable() ||
        ['accept-all', 'reject-all', 'save', 'allow'].indexOf(btn.value) < 0) {
      return;
    }
    ev.preventDefault();
    if (submitting) return;
    submitting = true;
    submitChoice(form, btn).then(function () { submitting = false; });
  });

  var refit = 0;
  function ready() {
    try {
      reserveRoom();
    } catch (e) { /* never break the page */ }
    try {
      if (claimed && q(PH)) {
        fitPlaceholders();
        W.addEventListener('resize', function () {
          clearTimeout(refit);
          refit = setTimeout(fitPlaceholders, 150);
        });
      }
      loadState();
    } catch (e) { /* never break the page */ }
  }
  if (D.readyState === 'loading') {
    D.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
})();
