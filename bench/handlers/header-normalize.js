// Header normalisation before the cache: copies CloudFront's viewer headers to the names the origin
// expects (computed names from a table), trims and lower-cases a list of headers in place, keeps only
// the first language of Accept-Language and drops debugging headers a viewer must not set.
var COPY = {
  'cloudfront-viewer-country': 'x-viewer-country',
  'cloudfront-viewer-city': 'x-viewer-city',
  'cloudfront-viewer-time-zone': 'x-viewer-time-zone',
  'cloudfront-is-mobile-viewer': 'x-is-mobile',
  'cloudfront-is-tablet-viewer': 'x-is-tablet',
  'cloudfront-viewer-address': 'x-viewer-address',
  'accept-language': 'x-language',
};
var NORMALISE = ['accept', 'accept-encoding', 'x-requested-with', 'origin', 'dnt'];
var DROP = ['x-debug', 'x-forwarded-host', 'x-original-url', 'pragma'];

function handler(event) {
  var request = event.request;
  var headers = request.headers;
  var names = Object.keys(COPY);
  for (var i = 0; i < names.length; i++) {
    var source = headers[names[i]];
    if (source) headers[COPY[names[i]]] = { value: source.value };
  }
  for (var j = 0; j < NORMALISE.length; j++) {
    var entry = headers[NORMALISE[j]];
    if (entry) entry.value = entry.value.toLowerCase().replace(/\s+/g, '');
  }
  for (var k = 0; k < DROP.length; k++) delete headers[DROP[k]];
  var language = headers['x-language'];
  if (language) language.value = language.value.split(',')[0].split(';')[0].trim();
  var address = headers['x-viewer-address'];
  if (address) address.value = address.value.slice(0, address.value.lastIndexOf(':'));
  headers['x-normalised'] = { value: String(names.length + NORMALISE.length) };
  return request;
}
