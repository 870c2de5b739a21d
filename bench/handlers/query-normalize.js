// Cache-key hygiene: drops tracking parameters (utm_*, fbclid, gclid) by a loop over the keys,
// lower-cases every remaining value (multiValue included) in place, and forwards the canonical
// (sorted) query string in a header so the origin logs the same key the cache uses.
var TRACKING = ['fbclid', 'gclid', 'msclkid', 'mc_eid', '_ga'];

function isTracking(name) {
  return name.indexOf('utm_') === 0 || TRACKING.indexOf(name) !== -1;
}

function handler(event) {
  var request = event.request;
  var qs = request.querystring;
  var keys = Object.keys(qs);
  for (var i = 0; i < keys.length; i++) {
    if (isTracking(keys[i])) {
      delete qs[keys[i]];
      continue;
    }
    qs[keys[i]].value = qs[keys[i]].value.toLowerCase();
    var multi = qs[keys[i]].multiValue;
    if (multi) {
      for (var m = 0; m < multi.length; m++) multi[m].value = multi[m].value.toLowerCase();
    }
  }
  var sorted = Object.keys(qs).sort();
  var parts = [];
  for (var j = 0; j < sorted.length; j++) {
    var entry = qs[sorted[j]];
    var values = entry.multiValue ? entry.multiValue : [entry];
    for (var v = 0; v < values.length; v++) parts.push(sorted[j] + '=' + values[v].value);
  }
  request.headers['x-cache-key-query'] = { value: parts.join('&') };
  return request;
}
