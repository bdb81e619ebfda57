// The search page's count of hits that arrived since it was shown. The desk's own file (the CSP allows
// no other script); it only reads a number from the desk's API and writes text, never HTML.
(function () {
  'use strict';
  var live = document.getElementById('live');
  if (!live) {
    return;
  }
  var countUrl = live.getAttribute('data-count');
  var href = live.getAttribute('data-href');
  var link = document.createElement('a');
  link.id = 'live-link';
  link.href = href;
  live.appendChild(link);
  function poll() {
    fetch(countUrl, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && typeof body.count === 'number' && body.count > 0) {
          link.textContent = body.count + (body.count === 1 ? ' new hit' : ' new hits') + ': show them';
          live.hidden = false;
        }
      })
      .catch(function () { /* the next poll tries again */ });
  }
  setInterval(poll, 10000);
})();
