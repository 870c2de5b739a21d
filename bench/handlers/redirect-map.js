// Site migration redirects: a table of 50 old path prefixes, the longest matching prefix wins, the
// rest of the path and the query string are carried over into a 301; unmatched paths pass through.
var REDIRECTS = {
  '/docs/archive/': '/docs/', '/docs/v1/': '/docs/v3/', '/docs/old-': '/docs/',
  '/docs/beta/': '/docs/', '/docs-legacy/': '/docs/', '/blog/archive/': '/blog/',
  '/blog/v1/': '/blog/v3/', '/blog/old-': '/blog/', '/blog/beta/': '/blog/',
  '/blog-legacy/': '/blog/', '/shop/archive/': '/shop/', '/shop/v1/': '/shop/v3/',
  '/shop/old-': '/shop/', '/shop/beta/': '/shop/', '/shop-legacy/': '/shop/',
  '/help/archive/': '/help/', '/help/v1/': '/help/v3/', '/help/old-': '/help/',
  '/help/beta/': '/help/', '/help-legacy/': '/help/', '/support/archive/': '/support/',
  '/support/v1/': '/support/v3/', '/support/old-': '/support/', '/support/beta/': '/support/',
  '/support-legacy/': '/support/', '/careers/archive/': '/careers/', '/careers/v1/': '/careers/v3/',
  '/careers/old-': '/careers/', '/careers/beta/': '/careers/', '/careers-legacy/': '/careers/',
  '/press/archive/': '/press/', '/press/v1/': '/press/v3/', '/press/old-': '/press/',
  '/press/beta/': '/press/', '/press-legacy/': '/press/', '/legal/archive/': '/legal/',
  '/legal/v1/': '/legal/v3/', '/legal/old-': '/legal/', '/legal/beta/': '/legal/',
  '/legal-legacy/': '/legal/', '/about/archive/': '/about/', '/about/v1/': '/about/v3/',
  '/about/old-': '/about/', '/about/beta/': '/about/', '/about-legacy/': '/about/',
  '/products/archive/': '/products/', '/products/v1/': '/products/v3/', '/products/old-': '/products/',
  '/products/beta/': '/products/', '/products-legacy/': '/products/',
};

function queryString(qs) {
  var parts = [];
  for (var name in qs) {
    var entry = qs[name];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var i = 0; i < values.length; i++) parts.push(values[i].value ? name + '=' + values[i].value : name);
  }
  return parts.length ? '?' + parts.join('&') : '';
}

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var best = '';
  for (var prefix in REDIRECTS) {
    if (prefix.length > best.length && uri.indexOf(prefix) === 0) best = prefix;
  }
  if (!best) return request;
  var host = request.headers.host ? request.headers.host.value : 'www.example.com';
  var target = 'https://' + host + REDIRECTS[best] + uri.slice(best.length) + queryString(request.querystring);
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: { location: { value: target }, 'cache-control': { value: 'max-age=86400' } },
  };
}
