// The frame every demo page shares, imitating the exchange's site: the header with its navigation, and the
// right-hand 快速通道 (quick-access) menu with 网上开户 and 客户端下载. Where 网上开户 leads is the page's own
// way of showing the app (`data-kaihu-href` on <body>). Only for the demo: not part of the app.
(function () {
  'use strict';

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function links(items) {
    return element(
      'ul',
      {},
      items.map(function (item) {
        return element('li', {}, [element('a', { href: item[1] }, [item[0]])]);
      }),
    );
  }

  var body = document.body;
  var header = element('header', { class: 'site-header' }, [
    element('div', { class: 'site-header-inner' }, [
      element('span', { class: 'site-logo', 'aria-hidden': 'true' }, ['碳']),
      element('p', { class: 'site-name' }, [
        '湖北碳排放权交易中心',
        element('small', {}, ['Hubei Carbon Emission Exchange（演示页面）']),
      ]),
    ]),
    element('nav', { class: 'site-nav', 'aria-label': '栏目' }, [
      links([
        ['首页', '/demo/'],
        ['新闻中心', '/demo/'],
        ['交易大厅', '/demo/'],
        ['政策法规', '/demo/'],
        ['关于我们', '/demo/'],
      ]),
    ]),
  ]);
  var quick = element('aside', { class: 'site-quick', 'aria-label': '快速通道' }, [
    element('h2', {}, ['快速通道']),
    links([
      ['网上开户', body.dataset.kaihuHref],
      ['客户端下载', body.dataset.clientHref],
    ]),
  ]);
  body.prepend(header);
  body.append(quick);
})();
