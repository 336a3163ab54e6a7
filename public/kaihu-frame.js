/*
 * 网上开户 · 湖北碳排放权交易中心 — sizes iframes of the online account opening to their content.
 *
 *   <iframe data-hbets-kaihu-frame src="https://kaihu.hbets.cn/kaihu/" title="网上开户"
 *           style="width: 100%; height: 720px; border: 0"></iframe>
 *   <script src="https://kaihu.hbets.cn/kaihu/kaihu-frame.js" defer></script>
 *
 * The app in the frame posts its content height (and its address) to this page, if this page's origin is in
 * `frame_parent_origins` of the app's config.json; the app's server must allow this page in its CSP
 * `frame-ancestors` too (reference backend: --frame-ancestors). This script takes a message only from the window
 * of one of those iframes and only from the origin of its `src`, sets the iframe's height, and when the
 * investor moves to another page of the app while the frame's top is scrolled out of view, brings it back.
 * Without this script the iframe keeps its own height and scrolls inside. Plain JavaScript, no dependencies.
 */
(function () {
  'use strict';

  var FRAMES = 'iframe[data-hbets-kaihu-frame]';
  var HEIGHT = 'hbets-kaihu:height';
  var lastPath = new WeakMap();

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.type !== HEIGHT || typeof data.height !== 'number' || !(data.height > 0)) return;
    var frames = document.querySelectorAll(FRAMES);
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, document.baseURI).origin !== event.origin) return;
      frame.style.height = Math.ceil(data.height) + 'px';
      var previous = lastPath.get(frame);
      lastPath.set(frame, data.path);
      if (previous !== undefined && previous !== data.path && frame.getBoundingClientRect().top < 0) {
        frame.scrollIntoView({ block: 'start' });
      }
      return;
    }
  });
})();
