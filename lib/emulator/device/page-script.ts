/**
 * The browser script of the device simulator page: plain ES2017 run inline, no build step. It polls the control
 * API every second (`GET /_emulator/users` with each user's current TOTP code, `/auths`, `/links`) and renders
 * with DOM APIs and `textContent` only, so nothing the API returns is ever parsed as HTML. Cards are keyed (by
 * auth request id, link code, user) and only rebuilt when their data changes, so a denial reason being chosen is not
 * reset by a refresh.
 */
export const SIMULATOR_SCRIPT = String.raw`
(function () {
  'use strict';
  var BASE = '/_emulator';
  var POLL_MS = 1000;
  var statusEl = document.getElementById('status');
  var flashEl = document.getElementById('flash');
  var pushesEl = document.getElementById('pushes');
  var linksEl = document.getElementById('links');
  var usersEl = document.getElementById('users');
  var pushCards = new Map();
  var lastLinks = '';
  var lastUsers = '';

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else if (key === 'onclick') node.addEventListener('click', props[key]);
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function api(method, path, body) {
    var init = { method: method, headers: { accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(BASE + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
        if (!res.ok) throw new Error((data && data.error) || ('HTTP ' + res.status));
        return data;
      });
    });
  }

  function flash(message, isError) {
    flashEl.textContent = message;
    flashEl.className = isError ? 'flash error' : 'flash';
  }

  function toDate(value) {
    if (value === null || value === undefined || value === '') return null;
    var date = new Date(typeof value === 'number' && value < 1e12 ? value * 1000 : value);
    return isNaN(date.getTime()) ? null : date;
  }

  function remaining(date) {
    if (!date) return '';
    var seconds = Math.max(0, Math.round((date.getTime() - Date.now()) / 1000));
    if (seconds === 0) return 'expired';
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return 'expires in ' + (minutes > 0 ? minutes + ' min ' : '') + rest + ' s';
  }

  function deviceStatus(status) {
    var code = status !== null && typeof status === 'object' ? status.statusCode : status;
    if (code === 1 || code === 'LINKED') return { text: 'linked', className: 'badge linked' };
    if (code === 0 || code === 'LINK_PENDING') return { text: 'link pending', className: 'badge pending' };
    if (code === 2 || code === 'UNLINK_PENDING') return { text: 'unlink pending', className: 'badge pending' };
    return { text: String(code), className: 'badge' };
  }

  // What the phone checks before approving: the auth methods it then reports (default: a fingerprint).
  var CHECKS = [
    { value: 'fingerprint', label: 'after a fingerprint' },
    { value: 'pin_code', label: 'after a PIN code' },
    { value: 'face', label: 'after face recognition' },
    { value: 'circle_code', label: 'after a circle code' },
    { value: '', label: 'with no extra check' }
  ];
  var METHODS = ['wearables', 'geofencing', 'locations', 'pin_code', 'circle_code', 'face', 'fingerprint'];

  function methodsPassing(chosen) {
    return METHODS.map(function (name) {
      var used = name === chosen;
      return { method: name, set: used, active: used, allowed: true, supported: true, user_required: used,
        passed: used ? true : null, error: used ? false : null };
    });
  }

  function act(promise, done) {
    return promise.then(function () { flash(done, false); return refresh(); })
      .catch(function (err) { flash(err.message, true); });
  }

  function pushCard(auth) {
    var reasons = Array.isArray(auth.denialReasons) ? auth.denialReasons : [];
    var plain = reasons.filter(function (r) { return !r.fraud; });
    var fraud = reasons.filter(function (r) { return r.fraud; });
    var select = el('select', { name: 'reason', 'aria-label': 'Denial reason' },
      plain.map(function (r) { return el('option', { value: String(r.id), text: r.reason }); }));
    var fraudSelect = el('select', { name: 'fraud-reason', 'aria-label': 'Fraud reason' },
      fraud.map(function (r) { return el('option', { value: String(r.id), text: r.reason }); }));
    var check = el('select', { name: 'check', 'aria-label': 'Check done on the phone' }, CHECKS.map(function (c) {
      return el('option', { value: c.value, text: c.label });
    }));
    var expires = el('span', { className: 'meta countdown' });
    var path = '/auths/' + encodeURIComponent(auth.authRequestId) + '/respond';
    var card = el('div', { className: 'card push', 'data-auth-request-id': auth.authRequestId }, [
      el('h3', { text: auth.title || 'Authorization request' }),
      el('div', { className: 'meta', text: 'For ' + auth.user + ' from ' + (auth.serviceName || auth.serviceId) }),
      auth.context ? el('div', { className: 'context', text: auth.context }) : null,
      expires,
      el('div', { className: 'row' }, [
        el('button', { className: 'approve', type: 'button', text: 'Approve', onclick: function () {
          var body = { action: 'approve' };
          if (check.value) body.methods = methodsPassing(check.value);
          act(api('POST', path, body), 'Approved');
        } }),
        check,
      ]),
      el('div', { className: 'row' }, [
        el('button', { className: 'deny', type: 'button', text: 'Deny', onclick: function () {
          var body = { action: 'deny' };
          if (plain.length) body.reason = select.value;
          act(api('POST', path, body), 'Denied');
        } }),
        plain.length ? select : null,
      ]),
      el('div', { className: 'row' }, [
        el('button', { className: 'fraud', type: 'button', text: 'Report fraud', onclick: function () {
          var body = { action: 'fraud' };
          if (fraud.length) body.reason = fraudSelect.value;
          act(api('POST', path, body), 'Reported as fraud');
        } }),
        fraud.length ? fraudSelect : null,
      ]),
    ]);
    card._expires = toDate(auth.expiresAt);
    card._countdown = expires;
    return card;
  }

  function renderPushes(auths) {
    var seen = new Set();
    auths.forEach(function (auth) {
      seen.add(auth.authRequestId);
      if (!pushCards.has(auth.authRequestId)) {
        var card = pushCard(auth);
        pushCards.set(auth.authRequestId, card);
        pushesEl.appendChild(card);
      }
    });
    pushCards.forEach(function (card, id) {
      if (!seen.has(id)) { card.remove(); pushCards.delete(id); }
    });
    document.getElementById('pushes-empty').hidden = pushCards.size > 0;
    tickCountdowns();
  }

  function tickCountdowns() {
    pushCards.forEach(function (card) { card._countdown.textContent = remaining(card._expires); });
  }

  function renderLinks(links) {
    var json = JSON.stringify(links);
    if (json === lastLinks) return;
    lastLinks = json;
    linksEl.textContent = '';
    links.forEach(function (link) {
      linksEl.appendChild(el('div', { className: 'card link', 'data-code': link.code }, [
        el('h3', { text: link.identifier }),
        el('div', { className: 'meta' }, [
          document.createTextNode('Linking code '),
          el('code', { className: 'code', text: link.code }),
          document.createTextNode(' '),
          link.qrcode ? el('a', { href: link.qrcode, target: '_blank', rel: 'noopener', text: 'QR code' }) : null,
        ]),
        el('div', { className: 'row' }, [
          el('button', { className: 'primary', type: 'button', text: 'Complete link', onclick: function () {
            act(api('POST', '/devices/link', { code: link.code }), 'Device linked for ' + link.identifier);
          } }),
        ]),
      ]));
    });
    document.getElementById('links-empty').hidden = links.length > 0;
  }

  // The TOTP code comes in the same answer as the user list, so a new secret and its code arrive together and the
  // page never shows the code of a replaced secret.
  function renderUsers(list) {
    var shape = JSON.stringify(list.map(function (user) {
      return Object.assign({}, user, { totpCode: undefined });
    }));
    if (shape !== lastUsers) {
      lastUsers = shape;
      usersEl.textContent = '';
      list.forEach(function (user) { usersEl.appendChild(userCard(user)); });
      document.getElementById('users-empty').hidden = list.length > 0;
    }
    list.forEach(function (user) {
      var span = usersEl.querySelector('[data-totp="' + CSS.escape(user.identifier) + '"]');
      if (span && span.textContent !== (user.totpCode || '')) span.textContent = user.totpCode || '';
    });
  }

  function userCard(user) {
    var devices = Array.isArray(user.devices) ? user.devices : [];
    var sessions = Array.isArray(user.sessions) ? user.sessions : [];
    var totp = el('span', { className: 'totp code', 'data-totp': user.identifier, text: user.totpCode || '' });
    return el('div', { className: 'card user', 'data-user': user.identifier }, [
      el('h3', { text: user.identifier }),
      devices.length ? el('ul', { className: 'devices' }, devices.map(function (device) {
        var status = deviceStatus(device.status);
        return el('li', {}, [
          document.createTextNode(device.name || device.id),
          el('span', { className: status.className, text: status.text }),
        ]);
      })) : el('p', { className: 'empty', text: 'No devices.' }),
      user.hasTotp ? el('div', { className: 'row' }, [el('span', { className: 'meta', text: 'TOTP code now:' }), totp])
        : null,
      el('div', { className: 'meta', text: sessions.length
        ? 'Signed in to: ' + sessions.map(function (s) { return s.serviceName || s.serviceId; }).join(', ')
        : 'No active sessions.' }),
      el('div', { className: 'row' }, [
        el('button', { type: 'button', text: 'Log out from phone', onclick: function () {
          act(api('POST', '/logout', { user: user.identifier }), 'Logged out ' + user.identifier + ' from the phone');
        } }),
      ]),
    ]);
  }

  var inFlight = null;
  function refresh() {
    if (inFlight) return inFlight;
    inFlight = Promise.all([api('GET', '/auths'), api('GET', '/links'), api('GET', '/users')])
      .then(function (results) {
        renderPushes(results[0] || []);
        renderLinks(results[1] || []);
        renderUsers(results[2] || []);
        statusEl.textContent = 'Updated ' + new Date().toLocaleTimeString();
        statusEl.className = '';
      })
      .catch(function (err) {
        statusEl.textContent = 'Emulator unreachable: ' + err.message;
        statusEl.className = 'error';
      })
      .then(function () { inFlight = null; });
    return inFlight;
  }

  refresh();
  setInterval(function () { tickCountdowns(); refresh(); }, POLL_MS);
})();
`;
