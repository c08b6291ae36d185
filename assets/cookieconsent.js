/* mod_cookieconsent: progressive enhancement of the settings control.
 *
 * Without this file everything works: the banner's buttons POST to the endpoint, "Customise" and
 * "Privacy settings" GET the settings page. With it, those two open the same settings form in a
 * modal <dialog> fetched from `${endpoint}/settings?fragment=1`. Submitting stays a normal POST
 * (the server answers 303 back to the page). Closing records nothing. This script never reads
 * or writes a cookie: the decision belongs to the server. */
(function () {
  'use strict';

  var CLOSE = { en: 'Close', fr: 'Fermer' };
  var opening = false;

  function closeLabel(lang) {
    var primary = String(lang || 'en').toLowerCase().split(/[-_]/)[0];
    return CLOSE[primary] || CLOSE.en;
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
    var inline = { pb: html.style.paddingBottom, spb: html.style.scrollPaddingBottom };
    var applied = false;
    var ro = null;
    var timer = 0;

    function release() {
      if (!applied) return;
      html.style.paddingBottom = inline.pb;
      html.style.scrollPaddingBottom = inline.spb;
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

  function ready() {
    try {
      reserveRoom();
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
